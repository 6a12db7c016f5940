import AtomikCore

/// Something that watches a cycle-level run one cycle at a time: the trace,
/// VCD and vector writers, and co-simulation's recorder. A run without
/// observers pays one empty-array check per cycle.
public protocol CycleObserver: AnyObject {
    /// Before the first cycle.
    func start(_ parameters: UnitParameters) throws
    /// After each edge: the inputs and outputs of the cycle, and the unit with
    /// its registers after the edge (and `lastWrite`, the edge's bank write).
    func record<U: CycleUnit>(cycle: Int, inputs: UnitInputs<U.W>, outputs: UnitOutputs<U.W>, unit: U) throws
    /// After the last cycle; `cycles` is the number of cycles run.
    func finish(cycles: Int) throws
}
