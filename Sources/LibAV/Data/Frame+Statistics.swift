internal import CFFmpeg

extension Frame {
    /// Standard deviation of the luma plane (0-255 scale) for 8-bit planar YUV frames, sampling
    /// every fourth pixel: near zero for a black, white or flat frame. Nil for other formats.
    public var lumaSpread: Double? {
        guard let descriptor = av_pix_fmt_desc_get(pixelFormat), descriptor.pointee.comp.0.depth == 8,
              descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) == 0,
              descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_PLANAR) != 0 || descriptor.pointee.nb_components == 1,
              let plane = pointer.pointee.data.0 else { return nil }
        let rowBytes = Int(pointer.pointee.linesize.0)
        var sum = 0.0
        var squares = 0.0
        var count = 0.0
        for y in stride(from: 0, to: height, by: 4) {
            let row = plane + y * rowBytes
            for x in stride(from: 0, to: width, by: 4) {
                let value = Double(row[x])
                sum += value
                squares += value * value
                count += 1
            }
        }
        guard count > 0 else { return nil }
        let mean = sum / count
        return (max(0, squares / count - mean * mean)).squareRoot()
    }
}

