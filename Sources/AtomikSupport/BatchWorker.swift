import Dispatch
import Synchronization

/// Buffering between two cores: the caller fills one batch while a worker
/// thread consumes the ones handed over before (compares recorded cycles
/// with the RTL, formats and writes files). `consume` returns false to stop
/// taking batches.
///
/// The batches take turns in a ring; the caller may run up to `count - 1`
/// batches ahead of the worker, and waits when it is that far ahead, so
/// memory stays at `count` batches. `consume` runs one batch at a time, in
/// order, on one thread at a time; what it changes is visible to the caller
/// after `handOver` or `finish` returns.
public final class BatchWorker<Batch: AnyObject>: @unchecked Sendable {
    private let batches: [Batch]
    private var filling = 0
    private let worker: DispatchQueue
    /// Batches the caller may still hand over before it must wait.
    private let slots: DispatchSemaphore
    private let consume: (Batch) throws -> Bool
    /// What the worker found: set there, read on the caller's thread.
    private struct Outcome {
        var stopped = false
        var failure: (any Error)?
    }
    private let outcome = Mutex(Outcome())
    /// True once `consume` has returned false (as of the last hand-over).
    public private(set) var stopped = false

    /// `batches` (two or more) take turns; the first is filled first.
    public init(_ label: String, batches: [Batch], consume: @escaping (Batch) throws -> Bool) {
        precondition(batches.count >= 2)
        self.batches = batches
        worker = DispatchQueue(label: "atomik.\(label)")
        slots = DispatchSemaphore(value: batches.count - 1)
        self.consume = consume
    }

    /// The batch to fill first.
    public var first: Batch { batches[0] }

    /// Hands a full batch to the worker; returns the batch to fill next (one
    /// the worker is done with). Rethrows what consuming a batch threw.
    public func handOver(_ full: Batch) throws -> Batch {
        precondition(full === batches[filling], "hand over the batch handOver returned last")
        slots.wait()
        let found = outcome.withLock { $0 }
        if let failure = found.failure { slots.signal(); throw failure }
        stopped = found.stopped
        if stopped { slots.signal(); return full }
        // The batch goes to one thread at a time: the semaphore orders the hand-over.
        nonisolated(unsafe) let batch = full
        worker.async {
            do {
                // Batches queued behind one that stopped or failed are dropped.
                let found = self.outcome.withLock { $0 }
                if !found.stopped && found.failure == nil {
                    let go = try self.consume(batch)
                    self.outcome.withLock { $0.stopped = $0.stopped || !go }
                }
            } catch {
                self.outcome.withLock { $0.failure = $0.failure ?? error }
            }
            self.slots.signal()
        }
        // The next batch in the ring was handed over `count - 1` turns ago, before
        // every batch still in flight, so the worker (first in, first out) is done with it.
        filling = (filling + 1) % batches.count
        return batches[filling]
    }

    /// Drops the batches not yet begun and waits for the one being consumed (an
    /// interrupted run that will discard what the worker makes).
    public func abandon() {
        outcome.withLock { $0.stopped = true }
        try? finish()
    }

    /// Waits for every batch in flight; rethrows what consuming a batch threw.
    public func finish() throws {
        for _ in 1..<batches.count { slots.wait() }
        for _ in 1..<batches.count { slots.signal() }
        let found = outcome.withLock { $0 }
        stopped = found.stopped
        if let failure = found.failure { throw failure }
    }
}
