import Foundation
import Synchronization

/// Independent jobs on several threads with the results handed over in order,
/// so a parallel run prints and returns exactly what a serial one would.
public enum Parallel {
    /// The jobs a `--jobs` option defaults to: one per core.
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Runs `body` for 0..<count, at most `jobs` at once (one: in order on this
    /// thread), and calls `done` on this thread with each result in index order,
    /// as soon as it and every one before it are finished. A job that throws
    /// stops the others from starting; the first error is rethrown once the
    /// running ones have finished.
    public static func forEach<T>(_ count: Int, jobs: Int, _ body: @escaping @Sendable (Int) throws -> T,
                                  done: (Int, T) throws -> Void) throws {
        if jobs <= 1 || count <= 1 {
            for k in 0..<count { try done(k, try body(k)) }
            return
        }
        let shared = ParallelState<T>()
        let threads = min(jobs, count)
        shared.running = threads
        for _ in 0..<threads {
            Thread.detachNewThread {
                while true {
                    shared.condition.lock()
                    guard shared.failure == nil, shared.next < count else { break }
                    let k = shared.next
                    shared.next += 1
                    shared.condition.unlock()
                    do {
                        let value = try body(k)
                        shared.condition.lock()
                        shared.finished[k] = value
                    } catch {
                        shared.condition.lock()
                        shared.failure = shared.failure ?? error
                    }
                    shared.condition.broadcast()
                    shared.condition.unlock()
                }
                shared.running -= 1
                shared.condition.broadcast()
                shared.condition.unlock()
            }
        }
        var handed = 0
        var thrown: (any Error)?
        shared.condition.lock()
        while true {
            if thrown == nil, let value = shared.finished.removeValue(forKey: handed) {
                shared.condition.unlock()
                do { try done(handed, value) } catch { thrown = error }
                handed += 1
                shared.condition.lock()
                if thrown != nil { shared.failure = shared.failure ?? thrown }
                continue
            }
            if shared.running == 0 { break }
            shared.condition.wait()
        }
        let failure = shared.failure
        shared.condition.unlock()
        if let failure { throw failure }
    }
}

/// What `Parallel.forEach`'s threads share, guarded by `condition`.
private final class ParallelState<T>: @unchecked Sendable {
    let condition = NSCondition()
    var next = 0
    var finished: [Int: T] = [:]
    var failure: (any Error)?
    var running = 0
}
