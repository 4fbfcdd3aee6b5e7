/// Collects statistics of one layer's inputs during calibration.
///
/// `observe` is called once per calibration batch with the layer's input,
/// `rows × features` row-major floats, as the float model computes it.
public protocol Calibrator: AnyObject {
    func observe(_ input: UnsafeBufferPointer<Float>, rows: Int, features: Int)
}
