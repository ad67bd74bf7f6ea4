/// Filter chains for the still images PeerTube shows (thumbnail.ts, image-utils.ts): a picture
/// cover-cropped to the canvas; a portrait picture on a landscape canvas shown whole over a
/// darkened, blurred cover of itself.
enum ImageRecipe {
    static let preview = (width: 850, height: 480)
    static let thumbnail = (width: 280, height: 157)
    /// Frames PeerTube's `thumbnail` filter compares around the middle of the video.
    static let framesToAnalyze: Int64 = 50

    static func cover(width: Int, height: Int) -> String {
        "scale=\(width):\(height):force_original_aspect_ratio=increase,crop=\(width):\(height)"
    }

    /// FFmpeg's `thumbnail` filter (the frame whose colour histogram is closest to the average
    /// of the ones pushed) over small copies: a histogram barely changes when the picture is
    /// point-sampled (`fast_bilinear`, a few times cheaper than a filtered downscale from 1080p),
    /// and the frames the filter holds until the end cost 50 x 43 KB instead of 50 x 620 KB.
    static let selectionFilter = "scale=160:90:flags=fast_bilinear,thumbnail=\(framesToAnalyze)"

    /// One frame onto the preview canvas.
    static func stillFilter(sourceWidth: Int, sourceHeight: Int) -> String {
        placement(sourceWidth: sourceWidth, sourceHeight: sourceHeight)
    }

    /// Cover-crop, or for a portrait picture on the landscape canvas, the whole picture over a
    /// dimmed, blurred cover of itself.
    static func placement(sourceWidth: Int, sourceHeight: Int) -> String {
        let (width, height) = preview
        let portraitOnLandscape = sourceHeight > sourceWidth && width > height
        guard portraitOnLandscape else { return cover(width: width, height: height) + Self.fullRange420 }
        return "split[back][front];[back]\(cover(width: width, height: height)),boxblur=20:2,drawbox=c=black@0.5:t=fill[shade];"
            + "[front]scale=\(width):\(height):force_original_aspect_ratio=decrease[whole];"
            + "[shade][whole]overlay=(W-w)/2:(H-h)/2" + Self.fullRange420
    }

    /// JPEG's full range, said as yuv420p with a full-range scale rather than the deprecated
    /// yuvj420p, which makes swscale warn on every picture.
    static let fullRange420 = ",scale=out_range=full,format=yuv420p"

    /// The miniature, resized from the preview as PeerTube does; cropped in 4:4:4 because its
    /// height (157) is odd, which 4:2:0 cannot represent.
    static var thumbnailFilter: String {
        "scale=\(thumbnail.width):\(thumbnail.height):force_original_aspect_ratio=increase:out_range=full,format=yuv444p,"
            + "crop=\(thumbnail.width):\(thumbnail.height)"
    }

    /// Sprites scaled and laid out on one sheet (4:4:4 so odd sprite sizes place chroma exactly).
    static func storyboardFilter(spriteWidth: Int, spriteHeight: Int, columns: Int, rows: Int) -> String {
        "scale=\(spriteWidth):\(spriteHeight):out_range=full,format=yuv444p,tile=layout=\(columns)x\(rows)"
    }

    /// A luma spread below this is a blank (black, white or flat) picture.
    static let blankSpread = 6.0
}
