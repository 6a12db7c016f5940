import AtomikProgram
import AtomikSupport
import Testing

final class Box { var value = 0 }

@Suite struct BatchWorkers {
    /// Batches are consumed in order, one at a time, and never handed back
    /// while the worker has them; `finish` waits for the last.
    @Test func batchesGoInOrder() throws {
        var seen: [Int] = []
        let worker = BatchWorker("test", batches: (0..<3).map { _ in Box() }) { box in
            seen.append(box.value)
            return true
        }
        var box = worker.first
        for k in 1...100 {
            box.value = k
            box = try worker.handOver(box)
        }
        try worker.finish()
        #expect(seen == Array(1...100))
    }

    /// After a batch fails, the batches queued behind it are dropped and the
    /// caller gets the error.
    @Test func aFailureStopsTheWork() throws {
        struct Broken: Error {}
        var consumed = 0
        let worker = BatchWorker("test", batches: (0..<4).map { _ in Box() }) { box in
            consumed += 1
            if box.value == 2 { throw Broken() }
            return true
        }
        var box = worker.first
        #expect(throws: Broken.self) {
            for k in 1...50 {
                box.value = k
                box = try worker.handOver(box)
            }
        }
        #expect(throws: Broken.self) { try worker.finish() }
        #expect(consumed == 2)
    }

    /// A consumer that returns false stops the batches after it.
    @Test func aConsumerCanStop() throws {
        var consumed = 0
        let worker = BatchWorker("test", batches: (0..<2).map { _ in Box() }) { _ in
            consumed += 1
            return consumed < 3
        }
        var box = worker.first
        for _ in 1...20 { box = try worker.handOver(box) }
        try worker.finish()
        #expect(worker.stopped)
        #expect(consumed == 3)
    }
}
