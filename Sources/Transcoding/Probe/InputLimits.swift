/// What an operator accepts from an upload: longer or larger inputs are refused at probe with a
/// reason, before any decoding (a 24-hour or 16K upload would hold a worker for hours).
public struct InputLimits: Sendable, Equatable, Codable {
    /// Seconds; 0 for no limit.
    public var maxDuration: Double
    /// Pixels per frame (width x height); 0 for no limit.
    public var maxPixels: Int

    public static let none = InputLimits(maxDuration: 0, maxPixels: 0)

    public init(maxDuration: Double, maxPixels: Int) {
        self.maxDuration = maxDuration
        self.maxPixels = maxPixels
    }

    /// Refuses `report` when it is over a limit, naming the limit.
    public func check(_ report: ProbeReport) throws(TranscodeError) {
        if maxDuration > 0, let duration = report.expectedDuration, duration > maxDuration {
            throw TranscodeError(.badInput, file: report.file, reason: "lasts \(Timecode.full(duration)), over the limit of "
                + "\(Timecode.full(maxDuration)) (maxDuration)")
        }
        if maxPixels > 0, let video = report.videoStream, let width = video.width, let height = video.height,
           width * height > maxPixels {
            let megapixels = { (pixels: Int) in String(Double(pixels / 10_000) / 100) }
            throw TranscodeError(.badInput, file: report.file, reason: "is \(width)x\(height) (\(megapixels(width * height)) "
                + "megapixels), over the limit of \(megapixels(maxPixels)) megapixels (maxPixels)")
        }
    }

}
