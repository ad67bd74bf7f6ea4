import Foundation

/// The graph as it grows: the labels of the current picture and sound, and the duration so far.
struct StudioGraphBuilder {
    let width: Int
    let height: Int
    let fps: Int
    let sampleRate: Int
    var chains: [String] = []
    var video = ""
    var audio: String?
    var duration = 0.0
    var counter = 0

    mutating func label(_ stem: String) -> String {
        counter += 1
        return "\(stem)\(counter)"
    }

    var pictureFormat: String { "setpts=PTS-STARTPTS,fps=\(fps),setsar=1,format=yuv420p" }
    var soundFormat: String {
        "asetpts=PTS-STARTPTS,aresample=\(sampleRate),aformat=sample_fmts=fltp:channel_layouts=stereo"
    }

    mutating func open(main: StudioMedia, separateAudio: StudioMedia?) {
        let picture = label("v"), raw = label("src")
        if let separateAudio, separateAudio.hasAudio {
            chains.append("movie=\(Self.quoted(main.path)):s=dv[\(raw)]")
            let sound = label("asrc")
            chains.append("amovie=\(Self.quoted(separateAudio.path))[\(sound)]")
            audio = formatSound(sound)
        } else if main.hasAudio {
            let sound = label("asrc")
            chains.append("movie=\(Self.quoted(main.path)):s=dv+da[\(raw)][\(sound)]")
            audio = formatSound(sound)
        } else {
            chains.append("movie=\(Self.quoted(main.path)):s=dv[\(raw)]")
        }
        chains.append("[\(raw)]\(pictureFormat)[\(picture)]")
        video = picture
        duration = main.duration
    }

    mutating func formatSound(_ input: String) -> String {
        let output = label("a")
        chains.append("[\(input)]\(soundFormat)[\(output)]")
        return output
    }

    mutating func apply(_ task: StudioTask, files: [String: StudioMedia]) throws(StudioProblem) {
        switch task {
        case .cut(let start, let end): cut(start: start, end: end)
        case .removeSegments(let ranges): try remove(ranges)
        case .intro(let file): try join(file: files[file], first: true)
        case .outro(let file): try join(file: files[file], first: false)
        case .watermark(let file, let size, let horizontal, let vertical):
            try watermark(file: files[file], sizeRatio: size, horizontal: horizontal, vertical: vertical)
        }
    }

    /// `-ss start -to end` after a full decode: [start, end) of what came before.
    mutating func cut(start: Double?, end: Double?) {
        var bounds: [String] = []
        if let start, start > 0 { bounds.append("start=\(Self.number(start))") }
        if let end { bounds.append("end=\(Self.number(end))") }
        let range = bounds.isEmpty ? "" : "=" + bounds.joined(separator: ":")
        applyToBoth(video: "trim\(range),setpts=PTS-STARTPTS", audio: "atrim\(range),asetpts=PTS-STARTPTS")
        duration = max(0, min(end ?? duration, duration) - max(start ?? 0, 0))
    }

    /// Keeps what lies outside the ranges, as PeerTube's pieces [0, s1), [e1, s2) ... [en, D)
    /// with D the rounded duration.
    mutating func remove(_ ranges: [ClosedRange<Double>]) throws(StudioProblem) {
        let total = duration.rounded()
        let kept = Self.keptPieces(removing: ranges, total: total)
        guard !kept.isEmpty else { throw StudioProblem(description: "remove-segments removes the whole video") }
        // Pieces are disjoint: the sum is 1 inside one, 0 elsewhere.
        let condition = kept.map { "gte(t,\(Self.number($0.lowerBound)))*lt(t,\(Self.number($0.upperBound)))" }
            .joined(separator: "+")
        let select = "'\(condition)'"
        applyToBoth(video: "select=\(select),setpts=N/(\(fps)*TB)", audio: "aselect=\(select),asetpts=N/SR/TB")
        duration = kept.reduce(0) { $0 + $1.upperBound - $1.lowerBound }
    }

    /// Adds `video`'s filters to the picture's chain and `audio`'s to the sound's, when there is sound.
    private mutating func applyToBoth(video filters: String, audio soundFilters: String) {
        let picture = label("v")
        chains.append("[\(video)]\(filters)[\(picture)]")
        video = picture
        if let sound = audio {
            let output = label("a")
            chains.append("[\(sound)]\(soundFilters)[\(output)]")
            audio = output
        }
    }

    /// The pieces between the ranges, within [0, total), without empty ones.
    static func keptPieces(removing ranges: [ClosedRange<Double>], total: Double) -> [ClosedRange<Double>] {
        var pieces: [ClosedRange<Double>] = []
        var position = 0.0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let end = min(range.lowerBound, total)
            if end > position { pieces.append(position...end) }
            position = max(position, range.upperBound)
        }
        if total > position { pieces.append(position...total) }
        return pieces
    }

    /// An intro (`first`) or outro, at the video's size and frame rate, joined to it.
    mutating func join(file: StudioMedia?, first: Bool) throws(StudioProblem) {
        guard let file, file.hasVideo else {
            throw StudioProblem(description: "the \(first ? "intro" : "outro") file has no video")
        }
        let raw = label("src"), picture = label("v")
        var clip = [String]()
        if let sound = audio {
            let clipSound: String
            if file.hasAudio {
                let rawSound = label("asrc")
                chains.append("movie=\(Self.quoted(file.path)):s=dv+da[\(raw)][\(rawSound)]")
                clipSound = formatSound(rawSound)
            } else {
                chains.append("movie=\(Self.quoted(file.path)):s=dv[\(raw)]")
                clipSound = label("a")
                chains.append("anullsrc=r=\(sampleRate):cl=stereo,atrim=duration=\(Self.number(file.duration)),"
                              + "aformat=sample_fmts=fltp[\(clipSound)]")
            }
            clip = ["[\(picture)][\(clipSound)]", "[\(video)][\(sound)]"]
        } else {
            chains.append("movie=\(Self.quoted(file.path)):s=dv[\(raw)]")
            clip = ["[\(picture)]", "[\(video)]"]
        }
        chains.append("[\(raw)]scale=\(width):\(height),\(pictureFormat)[\(picture)]")
        let joinedPicture = label("v")
        let joinedSound = audio == nil ? nil : label("a")
        let order = first ? clip.joined() : clip.reversed().joined()
        let outputs = "[\(joinedPicture)]" + (joinedSound.map { "[\($0)]" } ?? "")
        chains.append("\(order)concat=n=2:v=1:a=\(audio == nil ? 0 : 1):unsafe=1\(outputs)")
        video = joinedPicture
        audio = joinedSound
        duration += file.duration
    }

    /// The picture scaled to `sizeRatio` of the video's height, aspect kept, over the top right.
    mutating func watermark(file: StudioMedia?, sizeRatio: Double, horizontal: Double, vertical: Double) throws(StudioProblem) {
        guard let file, file.hasVideo else { throw StudioProblem(description: "the watermark file is not a picture") }
        let raw = label("src"), scaled = label("w"), picture = label("v")
        chains.append("movie=\(Self.quoted(file.path))[\(raw)]")
        chains.append("[\(raw)]scale=w=-1:h=\(Self.number(Double(height) * sizeRatio))[\(scaled)]")
        chains.append("[\(video)][\(scaled)]overlay=x='main_w-overlay_w-(main_h*\(Self.number(horizontal)))'"
                      + ":y='main_h*\(Self.number(vertical))',format=yuv420p[\(picture)]")
        video = picture
    }

    func finish() -> StudioGraph {
        var all = chains
        all.append("[\(video)]fps=\(fps),format=yuv420p[vout]")
        if let audio { all.append("[\(audio)]asetnsamples=n=1024:p=0[aout]") }
        return StudioGraph(description: all.joined(separator: ";\n"), width: width, height: height, fps: fps,
                           hasAudio: audio != nil, sampleRate: sampleRate, duration: duration)
    }

    /// A number as the filter expressions read it (no exponent, no trailing zeros).
    static func number(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.6f", value)
    }

    /// A file name for a filter option: escaped for the option parser (`\`, `'`, `:`), then
    /// for the graph parser (`\`, `'`, `[`, `]`, `,`, `;`), as libavfilter reads them in turn.
    static func quoted(_ path: String) -> String {
        let option = Self.escape(path, characters: "\\':")
        return Self.escape(option, characters: "\\'[],;")
    }

    static func escape(_ text: String, characters: String) -> String {
        var escaped = ""
        for character in text {
            if characters.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
