/// RFC 6381 codec strings for the master playlist's CODECS attribute.
public enum CodecString {
    /// AAC-LC.
    public static let aacLC = "mp4a.40.2"

    /// `avc1.PPCCLL` from the H.264 SPS inside encoder extradata (Annex B or avcC): the real
    /// profile, constraint flags and level, e.g. `avc1.64001f` for High at level 3.1.
    public static func avc1(extradata: [UInt8]) -> String? {
        guard let sps = spsPrefix(extradata) else { return nil }
        return "avc1." + sps.hexString
    }

    /// The string PeerTube writes for a copied H.264 stream (`server/core/helpers/ffmpeg/codecs.ts`):
    /// its fixed constraint bytes per profile (High `6400`, Main `4d40`, Baseline `42e0`) and the
    /// stream's level. Another encoder's SPS may set other constraint flags (`avc1.4d0028`), which
    /// PeerTube's players were never given; unknown profiles keep the real bytes.
    public static func peerTubeAVC1(extradata: [UInt8]) -> String? {
        guard let sps = spsPrefix(extradata) else { return nil }
        let base: String? = switch sps[0] {
        case 100: "6400"
        case 77: "4d40"
        case 66: "42e0"
        default: nil
        }
        guard let base else { return "avc1." + sps.hexString }
        return "avc1." + base + [sps[2]].hexString
    }

    /// profile_idc, constraint flags, level_idc.
    private static func spsPrefix(_ data: [UInt8]) -> [UInt8]? {
        if data.first == 1, data.count >= 4 {
            return Array(data[1...3])  // avcC: AVCProfileIndication, profile_compatibility, AVCLevelIndication
        }
        var index = 0
        while index + 3 < data.count {
            let startCode = data[index] == 0 && data[index + 1] == 0 && data[index + 2] == 1
            if startCode, index + 6 < data.count, data[index + 3] & 0x1F == 7 {
                return Array(data[(index + 4)...(index + 6)])
            }
            index += startCode ? 3 : 1
        }
        return nil
    }
}
