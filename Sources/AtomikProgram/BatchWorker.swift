import Dispatch

/// Double buffering on two cores: the caller fills one batch while a worker
/// thread consumes the other (compares recorded cycles with the RTL, formats
/// and writes files). `consume` returns false to stop taking batches.
///
/// The caller waits for the batch in flight before it hands over the next, so
/// `consume` runs one batch at a time, in order, and memory stays at two
/// batches; what `consume` changes is visible to the caller after
/// `handOver` or `finish` returns.
public final class BatchWorker<Batch: AnyObject>: @unchecked Sendable {
    private let batches: (Batch, Batch)
    private var nextIsSecond = false
    private let worker: DispatchQueue
    private let idle = DispatchSemaphore(value: 1)
    private let consume: (Batch) throws -> Bool
    /// Set on the worker; read on the caller's thread after waiting for it.
    private var consumerStopped = false
    private var failure: (any Error)?
    /// True once `consume` has returned false (as of the last hand-over).
    public private(set) var stopped = false

    /// `batches`: the two batches that take turns; the first is filled first.
    public init(_ label: String, batches: (Batch, Batch), consume: @escaping (Batch) throws -> Bool) {
        self.batches = batches
        worker = DispatchQueue(label: "atomik.\(label)")
        self.consume = consume
    }

    /// The batch to fill first.
    public var first: Batch { batches.0 }

    /// Hands a full batch to the worker; returns the batch to fill next, once
    /// the worker is done with it. Rethrows what consuming a batch threw.
    public func handOver(_ full: Batch) throws -> Batch {
        idle.wait()
        stopped = consumerStopped
        if let failure { idle.signal(); throw failure }
        if stopped { idle.signal(); return full }
        // The batch goes to one thread at a time: the semaphore orders the hand-over.
        nonisolated(unsafe) let batch = full
        worker.async {
            do { self.consumerStopped = try !self.consume(batch) } catch { self.failure = error }
            self.idle.signal()
        }
        nextIsSecond.toggle()
        return nextIsSecond ? batches.1 : batches.0
    }

    /// Waits for the batch in flight; rethrows what consuming a batch threw.
    public func finish() throws {
        idle.wait()
        idle.signal()
        stopped = consumerStopped
        if let failure { throw failure }
    }
}
