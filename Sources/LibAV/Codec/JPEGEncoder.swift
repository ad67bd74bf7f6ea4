internal import CFFmpeg

/// Still pictures as JPEG with FFmpeg's mjpeg encoder (frames must be full-range yuv420p or
/// yuv444p, which the image filter chains end with; the context says full range, so mjpeg takes
/// them without the deprecated yuvj formats).
public enum JPEGEncoder {
    /// Encodes one frame. `qscale` is mjpeg's quantiser (2 best .. 31 worst); 4 is close to the
    /// "quality 80" PeerTube's image library writes.
    public static func encode(_ frame: borrowing Frame, qscale: Int = 4) throws(FFmpegError) -> [UInt8] {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG) else {
            throw FFmpegError(code: cffmpeg_AVERROR(ENOSYS), operation: "mjpeg encoder is not available")
        }
        var context = avcodec_alloc_context3(codec)
        defer { avcodec_free_context(&context) }
        guard let context else { throw .outOfMemory("avcodec_alloc_context3") }
        context.pointee.width = Int32(frame.width)
        context.pointee.height = Int32(frame.height)
        context.pointee.pix_fmt = frame.pixelFormat
        context.pointee.time_base = AVRational(num: 1, den: 25)
        context.pointee.flags |= AV_CODEC_FLAG_QSCALE
        context.pointee.global_quality = Int32(qscale) * FF_QP2LAMBDA
        context.pointee.color_range = AVCOL_RANGE_JPEG
        try check(avcodec_open2(context, codec, nil), "cannot open the JPEG encoder")
        let picture = try frame.ref()
        picture.pointer.pointee.quality = context.pointee.global_quality
        picture.pointer.pointee.pict_type = AV_PICTURE_TYPE_I
        picture.pts = 0
        try check(avcodec_send_frame(context, picture.pointer), "encode JPEG")
        try check(avcodec_send_frame(context, nil), "encode JPEG")
        let packet = try Packet()
        try check(avcodec_receive_packet(context, packet.pointer), "encode JPEG")
        guard let data = packet.pointer.pointee.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(packet.pointer.pointee.size)))
    }
}
