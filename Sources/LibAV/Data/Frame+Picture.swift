internal import CFFmpeg

extension Frame {
    /// A plain yuv420p picture of one colour, for the still-image video of an audio upload
    /// without cover art (PeerTube uses a plain default background).
    public static func blankPicture(width: Int, height: Int, luma: UInt8 = 40, chromaBlue: UInt8 = 128,
                                    chromaRed: UInt8 = 128) throws(FFmpegError) -> Frame {
        let frame = try Frame.video(width: Int32(width), height: Int32(height), format: AV_PIX_FMT_YUV420P)
        let values = [luma, chromaBlue, chromaRed]
        for plane in 0..<3 {
            let rows = plane == 0 ? height : (height + 1) / 2
            let stride = Int(withUnsafePointer(to: frame.pointer.pointee.linesize) {
                $0.withMemoryRebound(to: Int32.self, capacity: 3) { $0[plane] }
            })
            let base = withUnsafePointer(to: frame.pointer.pointee.data) {
                $0.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 3) { $0[plane] }
            }
            base?.update(repeating: values[plane], count: stride * rows)
        }
        return frame
    }
}
