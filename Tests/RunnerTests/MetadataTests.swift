import Foundation
import Testing
import TestSupport
@testable import Publishing

/// Where a video's metadata comes from, and PeerTube's rules checked before any upload.
@Suite struct MetadataTests {
    static func video(_ name: String, tags: [String: String] = [:]) throws -> URL {
        let folder = try RunnerMedia.stateFolder()
        let file = folder.appendingPathComponent(name)
        var arguments = ["-i", try RunnerMedia.upload().path, "-c", "copy"]
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) { arguments += ["-metadata", "\(key)=\(value)"] }
        try FFmpegCLI.make(file, arguments)
        return file
    }

    static func sidecar(_ text: String, beside video: URL, ext: String = "yaml") throws {
        try text.write(to: video.deletingPathExtension().appendingPathExtension(ext), atomically: true, encoding: .utf8)
    }

    @Test func theSidecarWinsOverTheContainerWhichWinsOverTheFileName() throws {
        let bare = try Self.video("bare-name.mp4")
        #expect(try MetadataResolver.resolve(video: bare).name == "bare-name")
        let tagged = try Self.video("tagged.mp4", tags: ["title": "From the camera", "comment": "Shot on a phone", "date": "2019-07-14"])
        let fromTags = try MetadataResolver.resolve(video: tagged)
        #expect(fromTags.name == "From the camera")
        #expect(fromTags.description == "Shot on a phone")
        #expect(fromTags.originallyPublishedAt == ContainerTags.parseDate("2019-07-14"))
        try Self.sidecar("""
            name: The edited title
            licence: Attribution - Share Alike
            comments: false
            download: no
            nsfw: true
            language: fr
            """, beside: tagged)
        let merged = try MetadataResolver.resolve(video: tagged)
        #expect(merged.name == "The edited title")
        #expect(merged.description == "Shot on a phone", "a field the sidecar leaves out comes from the tags")
        #expect(merged.licence == 2 && merged.commentsPolicy == 2 && merged.downloadEnabled == false && merged.nsfw == true)
        #expect(merged.origins["name"] == "sidecar tagged.yaml")
    }

    @Test func aJSONSidecarAndAThumbnailBesideIt() throws {
        let video = try Self.video("with-json.mp4")
        try FFmpegCLI.make(video.deletingLastPathComponent().appendingPathComponent("cover.jpg"),
                           ["-f", "lavfi", "-i", "testsrc2=size=640x360", "-frames:v", "1"])
        try Self.sidecar(#"{"name": "JSON named", "tags": ["a tag"], "thumbnail": "cover.jpg", "channel": "music"}"#, beside: video, ext: "json")
        let metadata = try MetadataResolver.resolve(video: video)
        #expect(metadata.name == "JSON named" && metadata.channel == "music")
        #expect(metadata.thumbnail?.lastPathComponent == "cover.jpg")
        try metadata.check()
    }

    @Test func eachBrokenRuleNamesItsFieldAndWhereItCameFrom() throws {
        let video = try Self.video("rules.mp4")
        let cases: [(String, String)] = [
            ("tags: [a, fine]", "tags"), ("tags: [one, two, three, four, five, six]", "tags"), ("name: ab", "name"),
            ("description: 'no'", "description"), ("privacy: secret", "privacy"), ("category: 42", "category"),
            ("category: Cooking", "category"), ("descripton: typo", "descripton"), ("originallyPublishedAt: someday", "originallyPublishedAt"),
            ("thumbnail: missing.jpg", "thumbnail"), ("nsfw: maybe", "nsfw"),
        ]
        for (text, field) in cases {
            try Self.sidecar(text, beside: video)
            do {
                try MetadataResolver.resolve(video: video).check()
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.field == field, "\(text): \(error)")
                #expect(error.origin == "sidecar rules.yaml", "\(text): \(error)")
            }
        }
    }

    @Test func aPublicationDateInTheFutureIsAScheduledUpdate() throws {
        var metadata = VideoMetadata(name: "Premiere")
        metadata.privacy = .public
        metadata.publishAt = Date().addingTimeInterval(86400)
        let fields = metadata.uploadFields(channelID: 3, fileName: "premiere.mp4", defaultPrivacy: .unlisted)
        #expect(fields["privacy"] as? Int == Privacy.private.id)
        let schedule = try #require(fields["scheduleUpdate"] as? [String: Any])
        #expect(schedule["privacy"] as? Int == Privacy.public.id && schedule["updateAt"] is String)
        #expect(fields["waitTranscoding"] as? Bool == true && fields["channelId"] as? Int == 3 && fields["filename"] as? String == "premiere.mp4")
        let plain = VideoMetadata(name: "Plain").uploadFields(channelID: 1, fileName: "p.mp4", defaultPrivacy: .unlisted)
        #expect(plain["privacy"] as? Int == 2 && plain["description"] == nil && plain["tags"] == nil, "absent fields are not sent")
    }
}
