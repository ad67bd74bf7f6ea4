import Testing
@testable import Transcoding

@Suite struct BoundedQueueTests {
    final class Payload {}

    @Test func aPoppedElementIsNotKeptAlive() {
        // A queue that kept popped slots until compaction held ~64 decoded pictures (200 MB at 1080p).
        let queue = BoundedQueue<Payload>(capacity: 10)
        weak var popped: Payload?
        do {
            let payload = Payload()
            popped = payload
            queue.push(payload, cost: 1)
            queue.push(Payload(), cost: 1)
        }
        #expect(popped != nil)
        _ = queue.pop()
        #expect(popped == nil)
    }

    @Test func itemsComeOutInOrderAndCloseDrainsTheRest() {
        let queue = BoundedQueue<Int>(capacity: 100)
        for value in 0..<70 { queue.push(value, cost: 1) }
        queue.close()
        var seen: [Int] = []
        while let value = queue.pop() { seen.append(value) }
        #expect(seen == Array(0..<70))
    }

    @Test func anItemLargerThanTheCapacityIsAdmittedIntoAnEmptyQueue() {
        let queue = BoundedQueue<Int>(capacity: 4)
        #expect(queue.push(1, cost: 100))
        #expect(queue.pop() == 1)
    }
}
