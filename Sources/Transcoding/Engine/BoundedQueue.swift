import Foundation

/// A blocking FIFO between two pipeline threads, bounded by the *cost* of what it holds
/// (bytes of frames and packets), so memory stays flat however long the video is and a slow
/// consumer holds the producer back instead of piling up frames.
///
/// An item is always admitted into an empty queue, so one item larger than the capacity
/// cannot deadlock. ``close()`` lets the consumer drain what is left; ``cancel()`` wakes
/// everyone at once and makes both sides stop.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Popped slots are cleared at once (`nil`): a slot that kept its element would keep a
    /// decoded picture alive until the array is compacted.
    private var items: [(element: Element?, cost: Int)] = []
    private var head = 0
    private var heldCost = 0
    private let capacity: Int
    private var closed = false
    private var cancelled = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Waits for room, then appends. Returns false if the queue was cancelled.
    @discardableResult
    func push(_ element: Element, cost: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && heldCost > 0 && heldCost + cost > capacity {
            condition.wait()
        }
        guard !cancelled, !closed else { return false }
        items.append((element, cost))
        heldCost += cost
        condition.broadcast()
        return true
    }

    /// Waits for an item. Returns nil once closed and empty, or when cancelled.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && head == items.count && !closed {
            condition.wait()
        }
        guard !cancelled, head < items.count else { return nil }
        let (element, cost) = items[head]
        items[head].element = nil
        head += 1
        heldCost -= cost
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return element
    }

    /// No more items will come; the consumer still gets what is queued.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops both sides now; queued items are dropped.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        head = 0
        heldCost = 0
        condition.broadcast()
        condition.unlock()
    }
}
