/// Audio output rules (tiers.md, "Audio"): AAC-LC stereo at the source rate when AAC supports
/// it, with PeerTube's bitrate table (`getMaxAudioBitrate`).
public enum AudioRule {
    /// Sample rates FFmpeg's AAC encoder accepts.
    public static let aacSampleRates: Set<Int> = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350]

    public static func sampleRate(source: Int) -> Int {
        aacSampleRates.contains(source) ? source : 48000
    }

    /// Unknown -> 256k; AAC above 384k -> 384k, AAC otherwise kept (at least 96k, PeerTube would
    /// copy it); other codecs: <= 192k -> 128k, <= 384k -> 256k, else 384k.
    public static func bitRate(codec: String, sourceBitRate: Int?) -> Int {
        guard let source = sourceBitRate, source > 0 else { return 256_000 }
        if codec == "aac" { return min(384_000, max(96_000, source)) }
        if source <= 192_000 { return 128_000 }
        if source <= 384_000 { return 256_000 }
        return 384_000
    }

    /// The source's AAC copied when ``CopyGate`` allows it and `allowCopy`, else one encode.
    public static func plan(for audio: SourceSummary.AudioSource, encoder: String, allowCopy: Bool = true) -> AudioPlan {
        let refusal = allowCopy ? CopyGate.audioRefusal(audio) : "copyTopRung is never"
        if refusal == nil, let sourceBitRate = audio.bitRate {
            return AudioPlan(codec: "aac", sampleRate: audio.sampleRate, channels: audio.channels, bitRate: sourceBitRate, copy: true)
        }
        return AudioPlan(codec: encoder, sampleRate: sampleRate(source: audio.sampleRate), channels: 2,
                         bitRate: bitRate(codec: audio.codec, sourceBitRate: audio.bitRate), copyRefusal: refusal)
    }
}
