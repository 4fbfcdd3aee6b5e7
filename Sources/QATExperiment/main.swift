import Foundation
import Quant

let store = DataStore()
let data = try store.load(.mnist)
let (run, _) = try CheckpointCache(store: store).trainOrLoad(.seedRecipe, data: data)
let fp32 = run.model
print("fp32", try fp32.accuracy(on: data.test))
let calibration = data.train.prefix(1024)
func now() -> Double { var t = timespec(); clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 }
let args = CommandLine.arguments
let wb = Int(args[1])!, ab = Int(args[2])!
let epochs = Int(args[3])!
let lr = Float(args[4])!
for (name, wm, am) in [("ste", WeightFakeQuantizer.Method.minMax, ActivationFakeQuantizer.Method.movingAverage),
                       ("lsq", .lsq, .lsq), ("pact", .minMax, .pact(regularization: 1e-4))] {
    let recipe = FakeQuantization(weightBits: wb, weightMethod: wm, activationBits: ab, activationMethod: am, freezeObserverAfterEpoch: max(1, epochs - 1))
    let qat = try fp32.quantized(with: recipe, calibration: calibration)
    print(name, "before QAT (static PTQ min-max-ish)", try qat.accuracy(on: data.test))
    var settings = TrainingSettings(epochs: epochs, optimizer: .adam(learningRate: lr), schedule: .cosine, seed: 1)
    var t0 = now()
    let tuned = try Trainer(settings: settings).train(qat, on: data.train, test: data.test) { r in let t = now(); print(name, "epoch", r.epoch, r.testAccuracy!, "cpu", t - t0); t0 = t }
    _ = tuned
}
var settings = TrainingSettings(epochs: epochs, optimizer: .adam(learningRate: lr), schedule: .cosine, seed: 1)
var t1 = now()
let ft = try Trainer(settings: settings).train(fp32, on: data.train, test: data.test) { r in let t = now(); print("fp32-finetune epoch", r.epoch, r.testAccuracy!, "cpu", t - t1); t1 = t }
