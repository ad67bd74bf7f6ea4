import Testing
@testable import Transcoding

@Suite struct ScaleCascadeTests {
    typealias Size = ScaleCascade.Size

    @Test func eachSizeIsMadeFromTheNextLargerOne() {
        let cascade = ScaleCascade(sizes: [Size(width: 426, height: 240), Size(width: 1280, height: 720), Size(width: 256, height: 144),
                                           Size(width: 854, height: 480), Size(width: 640, height: 360)])
        #expect(cascade.sizes.map(\.height) == [720, 480, 360, 240, 144])
        #expect(cascade.parents == [nil, 0, 1, 2, 3])
        #expect(cascade.level(width: 640, height: 360) == 2)
        #expect(cascade.level(width: 640, height: 361) == nil)
    }

    @Test func aSizeNoLargerLevelContainsIsMadeFromTheSource() {
        // A level wider but not taller (or the reverse) cannot be downscaled into this one.
        let sizes = [Size(width: 1920, height: 800), Size(width: 1280, height: 960), Size(width: 640, height: 480)]
        #expect(ScaleCascade.parents(of: sizes) == [nil, nil, 1])
    }

    @Test func repeatedSizesShareOneLevel() {
        let cascade = ScaleCascade(sizes: [Size(width: 640, height: 360), Size(width: 640, height: 360)])
        #expect(cascade.sizes.count == 1)
        #expect(cascade.parents == [nil])
    }
}
