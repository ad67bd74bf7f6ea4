import LibAV

/// Turns candidate pictures into the preview and thumbnail JPEGs as they arrive, so a
/// candidate costs the image stage ~100 KB of JPEG instead of a decoded picture held until the
/// choice is made (50 pictures at the preview size were ~30 MB).
///
/// Both filter graphs live as long as the encoder: a picture goes in under a key and its
/// stills come out under the same key (the portrait placement may hand a picture back one
/// frame late; ``finish()`` collects what is left).
final class StillEncoder {
    struct Still {
        var preview: [UInt8]
        var thumbnail: [UInt8]
        /// Luma spread of the preview picture: near zero for a blank frame.
        var spread: Double
    }

    private(set) var stills: [Int64: Still] = [:]
    private var placement: FilterGraph?
    private var miniature: FilterGraph?
    private var pendingPreviews: [Int64: (jpeg: [UInt8], spread: Double)] = [:]

    func add(_ box: FrameBox, key: Int64) throws(FFmpegError) {
        if placement == nil {
            placement = try box.withFrame { frame throws(FFmpegError) in
                try FilterGraph(description: ImageRecipe.stillFilter(sourceWidth: frame.width, sourceHeight: frame.height),
                                like: frame, timeBase: Rational(1, 25))
            }
        }
        let picture = try box.frameReference()
        picture.pts = key
        try placement?.push(picture)
        try collectPlaced()
    }

    /// Flushes both graphs; ``stills`` is complete afterwards.
    func finish() throws(FFmpegError) {
        try placement?.pushEndOfStream()
        try collectPlaced()
        try miniature?.pushEndOfStream()
        try collectMiniatures()
    }

    private func collectPlaced() throws(FFmpegError) {
        while let placed = try placement?.pull() {
            let key = placed.pts ?? 0
            pendingPreviews[key] = (try JPEGEncoder.encode(placed), placed.lumaSpread ?? 0)
            if miniature == nil {
                miniature = try FilterGraph(description: ImageRecipe.thumbnailFilter, like: placed, timeBase: Rational(1, 25))
            }
            try miniature?.push(placed)
            try collectMiniatures()
        }
    }

    private func collectMiniatures() throws(FFmpegError) {
        while let small = try miniature?.pull() {
            let key = small.pts ?? 0
            guard let preview = pendingPreviews.removeValue(forKey: key) else { continue }
            stills[key] = Still(preview: preview.jpeg, thumbnail: try JPEGEncoder.encode(small), spread: preview.spread)
        }
    }
}
