
/// Something that watches a cycle-level run one cycle at a time, with the
/// unit's registers: the trace and VCD writers. (Vector files, coverage and
/// co-simulation take whole batches of recorded cycles from a `CycleRecorder`
/// instead.) A run without observers has their calls compiled out of its
/// operation loop (idle cycles and resets check for them at run time).
public protocol CycleObserver: AnyObject {
    /// Before the first cycle.
    func start(_ parameters: UnitParameters) throws
    /// After each edge: the cycle's inputs, outputs and bank write, and the
    /// unit with its registers after the edge. The record is built once per
    /// cycle by the engine, whatever the word type, so observers are plain code.
    func record(_ r: TraceRecord, unit: any CycleUnit) throws
    /// After the last cycle; `cycles` is the number of cycles run.
    func finish(cycles: Int) throws
}
