internal import CFFmpeg

/// Turns an `AVStream` into a ``StreamInfo`` value (names the way ffprobe prints them).
enum StreamDescriber {
    static func describe(_ stream: UnsafeMutablePointer<AVStream>, index: Int) -> StreamInfo {
        let parameters = stream.pointee.codecpar.pointee
        let timeBase = Rational(stream.pointee.time_base)
        func seconds(_ raw: Int64) -> Double? {
            guard let raw = timestamp(raw), let base = timeBase.doubleValue else { return nil }
            return Double(raw) * base
        }
        var info = StreamInfo(
            index: index,
            kind: kind(parameters.codec_type),
            codec: String(cString: avcodec_get_name(parameters.codec_id)),
            codecLongName: avcodec_descriptor_get(parameters.codec_id)?.pointee.long_name.map { String(cString: $0) },
            profile: avcodec_profile_name(parameters.codec_id, parameters.profile).map { String(cString: $0) },
            bitRate: parameters.bit_rate > 0 ? parameters.bit_rate : nil,
            duration: stream.pointee.duration > 0 ? seconds(stream.pointee.duration) : nil,
            startTime: seconds(stream.pointee.start_time),
            frameCount: stream.pointee.nb_frames > 0 ? stream.pointee.nb_frames : nil,
            timeBase: timeBase,
            language: metadata(stream.pointee.metadata, "language"),
            disposition: dispositions(stream.pointee.disposition)
        )
        switch parameters.codec_type {
        case AVMEDIA_TYPE_VIDEO:
            info.width = Int(parameters.width)
            info.height = Int(parameters.height)
            let pixelFormat = AVPixelFormat(rawValue: parameters.format)
            if let descriptor = av_pix_fmt_desc_get(pixelFormat) {
                info.pixelFormat = String(cString: descriptor.pointee.name)
                info.bitDepth = Int(descriptor.pointee.comp.0.depth)
                let isRGB = descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) != 0
                if !isRGB && descriptor.pointee.nb_components >= 3 {
                    switch (descriptor.pointee.log2_chroma_w, descriptor.pointee.log2_chroma_h) {
                    case (1, 1): info.chromaSubsampling = 420
                    case (1, 0): info.chromaSubsampling = 422
                    case (0, 0): info.chromaSubsampling = 444
                    default: break
                    }
                }
            }
            info.rotation = rotation(of: stream)
            info.averageFrameRate = nonZero(stream.pointee.avg_frame_rate)
            info.realFrameRate = nonZero(stream.pointee.r_frame_rate)
            info.sampleAspectRatio = nonZero(parameters.sample_aspect_ratio)
            info.fieldOrder = fieldOrder(parameters.field_order)
            info.colorTransfer = name(av_color_transfer_name(parameters.color_trc))
            info.colorPrimaries = name(av_color_primaries_name(parameters.color_primaries))
            info.colorSpace = name(av_color_space_name(parameters.color_space))
            info.colorRange = name(av_color_range_name(parameters.color_range))
        case AVMEDIA_TYPE_AUDIO:
            info.sampleRate = Int(parameters.sample_rate)
            info.channels = Int(parameters.ch_layout.nb_channels)
            info.channelLayout = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 128) { buffer -> String? in
                guard let base = buffer.baseAddress else { return nil }
                var layout = parameters.ch_layout
                return av_channel_layout_describe(&layout, base, buffer.count) > 0 ? String(cString: base) : nil
            }
            info.sampleFormat = name(av_get_sample_fmt_name(AVSampleFormat(rawValue: parameters.format)))
        default:
            break
        }
        return info
    }

    private static func kind(_ type: AVMediaType) -> StreamInfo.Kind {
        switch type {
        case AVMEDIA_TYPE_VIDEO: .video
        case AVMEDIA_TYPE_AUDIO: .audio
        case AVMEDIA_TYPE_SUBTITLE: .subtitle
        case AVMEDIA_TYPE_DATA: .data
        case AVMEDIA_TYPE_ATTACHMENT: .attachment
        default: .unknown
        }
    }

    /// Rotation from the display matrix, as a clockwise angle normalised to 0/90/180/270.
    /// `av_display_rotation_get` returns the counter-clockwise angle.
    private static func rotation(of stream: UnsafeMutablePointer<AVStream>) -> Int? {
        var size: Int = 0
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size),
              size >= 9 * MemoryLayout<Int32>.size else { return nil }
        let angle = data.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
        guard angle.isFinite else { return nil }
        let clockwise = Int((-angle).rounded())
        let normalised = ((clockwise % 360) + 360) % 360
        return ((normalised + 45) / 90 * 90) % 360
    }

    private static func dispositions(_ flags: Int32) -> [String] {
        let known: [(Int32, String)] = [
            (AV_DISPOSITION_DEFAULT, "default"), (AV_DISPOSITION_DUB, "dub"),
            (AV_DISPOSITION_ORIGINAL, "original"), (AV_DISPOSITION_COMMENT, "comment"),
            (AV_DISPOSITION_FORCED, "forced"), (AV_DISPOSITION_HEARING_IMPAIRED, "hearing_impaired"),
            (AV_DISPOSITION_VISUAL_IMPAIRED, "visual_impaired"), (AV_DISPOSITION_ATTACHED_PIC, "attached_pic"),
            (AV_DISPOSITION_CAPTIONS, "captions"), (AV_DISPOSITION_DESCRIPTIONS, "descriptions"),
        ]
        return known.filter { flags & $0.0 != 0 }.map(\.1)
    }

    private static func fieldOrder(_ order: AVFieldOrder) -> String? {
        switch order {
        case AV_FIELD_PROGRESSIVE: "progressive"
        case AV_FIELD_TT: "tt"
        case AV_FIELD_BB: "bb"
        case AV_FIELD_TB: "tb"
        case AV_FIELD_BT: "bt"
        default: nil
        }
    }

    private static func metadata(_ dictionary: OpaquePointer?, _ key: String) -> String? {
        av_dict_get(dictionary, key, nil, 0).flatMap { $0.pointee.value.map { String(cString: $0) } }
    }

    private static func nonZero(_ value: AVRational) -> Rational? {
        value.num != 0 && value.den != 0 ? Rational(value) : nil
    }

    private static func name(_ cString: UnsafePointer<CChar>?) -> String? {
        guard let cString else { return nil }
        let value = String(cString: cString)
        return value == "unknown" || value == "unspecified" ? nil : value
    }
}
