import LibAV

/// The libavfilter chain that turns any decoded picture into upright, progressive SDR before
/// the per-rendition scalers: deinterlace, tone-map PQ/HLG to BT.709, apply the rotation to the
/// pixels (the display matrix is not copied to the output). Nil when nothing is needed.
struct VideoNormalization: Equatable, Sendable {
    var rotation: Int
    var interlaced: Bool
    /// `smpte2084` (PQ) or `arib-std-b67` (HLG), nil for SDR.
    var hdrTransfer: String?

    init(stream: StreamInfo) {
        rotation = stream.rotation ?? 0
        interlaced = stream.isInterlaced
        hdrTransfer = stream.isHDR ? stream.colorTransfer : nil
    }

    init(rotation: Int, interlaced: Bool, hdrTransfer: String?) {
        self.rotation = rotation
        self.interlaced = interlaced
        self.hdrTransfer = hdrTransfer
    }

    var filterDescription: String? {
        var filters: [String] = []
        if interlaced {
            // One frame per frame (not per field), so the frame rate rules see the source rate.
            filters.append("bwdif=mode=send_frame:parity=auto:deint=all")
        }
        if let transfer = hdrTransfer {
            // Linearise, tone-map with Hable in float RGB, then back to BT.709 limited-range 4:2:0.
            filters.append("zscale=tin=\(transfer):min=bt2020nc:pin=bt2020:rin=tv:t=linear:npl=100")
            filters.append("format=gbrpf32le")
            filters.append("zscale=p=bt709")
            filters.append("tonemap=tonemap=hable:desat=0")
            filters.append("zscale=t=bt709:m=bt709:r=tv")
            filters.append("format=yuv420p")
        }
        switch rotation {
        case 90: filters.append("transpose=clock")
        case 180: filters.append(contentsOf: ["hflip", "vflip"])
        case 270: filters.append("transpose=cclock")
        default: break
        }
        return filters.isEmpty ? nil : filters.joined(separator: ",")
    }
}
