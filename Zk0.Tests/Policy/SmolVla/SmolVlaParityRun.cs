using Zk0.Policy.SmolVla;
using Zk0.Policy.SmolVla.Checkpoint;
using Zk0.Policy.SmolVla.Configuration;
using Zk0.Policy.SmolVla.Embeddings;
using Zk0.Policy.SmolVla.FlowMatching;
using Zk0.Policy.SmolVla.Training;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla;

/// <summary>
/// Runs the port once over the golden fixture inputs (lazily, per stage) and keeps what each parity test compares.
/// Everything is float32 on the CPU, as the fixtures were recorded.
/// </summary>
public sealed class SmolVlaParityRun : IDisposable
{
    private const string ImagePrefix = "observation.images.";
    private readonly Lazy<Dictionary<string, Tensor>> _inputs = new(() => SmolVlaFixtureFiles.Load("inputs.safetensors"));
    private readonly Lazy<Dictionary<string, Tensor>> _expected = new(() => SmolVlaFixtureFiles.Load("expected.safetensors"));
    private readonly Lazy<Dictionary<string, Tensor>> _trainStep = new(() => SmolVlaFixtureFiles.Load("train_step.safetensors"));
    private readonly Lazy<SmolVlaArchitecture> _architecture = new(() => SmolVlaConfigJson.Load(SmolVlaFixtureFiles.PathOf("config.json")));
    private readonly Lazy<SmolVlaPolicy> _policy;
    private readonly Lazy<TrainingForward> _forward;
    private readonly Lazy<InferenceRecord> _inference;
    private readonly Lazy<TrainingRecord> _training;

    public SmolVlaParityRun()
    {
        _policy = new(() => LoadPolicy());
        _forward = new(() =>
        {
            using var noGrad = no_grad();
            return Policy.Model.Forward(Inputs, Input("pp.action"), Input("train.noise"), Input("train.time"));
        });
        _inference = new(RunInference);
        _training = new(RunTraining);
    }

    public SmolVlaArchitecture Architecture => _architecture.Value;
    public SmolVlaPolicy Policy => _policy.Value;
    public TrainingForward TrainingForward => _forward.Value;
    public InferenceRecord Inference => _inference.Value;
    public TrainingRecord Training => _training.Value;

    public IReadOnlyList<string> Cameras =>
        Architecture.Policy.ImageFeatureNames.Select(n => n.StartsWith(ImagePrefix, StringComparison.Ordinal) ? n[ImagePrefix.Length..] : n).ToList();

    public Tensor Input(string name) => Get(_inputs.Value, name, "inputs.safetensors");
    public Tensor? TryInput(string name) => _inputs.Value.GetValueOrDefault(name);
    public Tensor Expected(string name) => Get(_expected.Value, name, "expected.safetensors");
    public Tensor TrainStep(string name) => Get(_trainStep.Value, name, "train_step.safetensors");
    public IEnumerable<string> TrainStepNames(string prefix) => _trainStep.Value.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal));

    public PolicyInputs Inputs => new(
        Cameras.Select(c => Input($"pp.image.{c}")).ToList(),
        Cameras.Select(c => Input($"pp.img_mask.{c}").to(ScalarType.Bool)).ToList(),
        Input("observation.language.tokens"),
        Input("observation.language.attention_mask").to(ScalarType.Bool),
        Input("pp.state"));

    public SmolVlaPolicy LoadPolicy()
    {
        var policy = new SmolVlaPolicy(Architecture);
        SmolVlaWeights.Load(policy, SmolVlaFixtureFiles.PathOf("model.safetensors"));
        return policy;
    }

    private static Tensor Get(Dictionary<string, Tensor> tensors, string name, string file) =>
        tensors.TryGetValue(name, out var t) ? t
            : throw new KeyNotFoundException($"Fixture file {file} has no tensor '{name}'.");

    private InferenceRecord RunInference()
    {
        using var noGrad = no_grad();
        var model = Policy.Model;
        var context = model.Prefill(Inputs);
        var xs = new List<Tensor>();
        var vs = new List<Tensor>();
        var times = new List<float>();
        var actions = model.SampleActions(Inputs, Input("infer.noise"), step =>
        {
            times.Add(step.Time);
            xs.Add(step.X.clone().DetachFromDisposeScope());
            vs.Add(step.Velocity.clone().DetachFromDisposeScope());
        });
        xs.Add(actions.clone());
        var chunk = Policy.PredictActionChunk(Inputs, Input("infer.noise"));
        Policy.Reset();
        var calls = (int)Expected("infer.select_action").shape[0];
        var selected = stack(Enumerable.Range(0, calls).Select(i => Policy.SelectAction(Inputs, Input("infer.noise"))).ToList());
        Policy.Reset();
        var cachedAtTrain = model.DenoiseStep(context, Expected("train.x_t"), Input("train.time"));
        return new InferenceRecord(context, times, stack(xs), stack(vs), actions, chunk, selected, cachedAtTrain);
    }

    private TrainingRecord RunTraining()
    {
        using var policy = LoadPolicy();
        var lr = Architecture.Policy.OptimizerLr;
        using var trainer = new SmolVlaTrainer(policy, _ => lr);
        var inputs = Inputs;
        var pad = Input("action_is_pad").to(ScalarType.Bool);
        Tensor Loss() => policy.Loss(inputs, Input("pp.action"), pad, Input("train.noise"), Input("train.time"));
        var loss = trainer.Backward(Loss);
        var gradients = policy.named_parameters().Where(p => p.parameter.requires_grad && p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        var step = trainer.ApplyGradients(loss);
        var after = policy.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        double lossAfter;
        using (no_grad())
        using (var l = Loss())
            lossAfter = l.to(ScalarType.Float64).item<double>();
        return new TrainingRecord(loss, gradients, ParameterFreezing.TrainableNames(policy), step.GradNorm, after, lossAfter);
    }

    public void Dispose()
    {
        if (_policy.IsValueCreated) _policy.Value.Dispose();
    }
}

public sealed record InferenceRecord(
    Zk0.Policy.SmolVla.Sampling.PrefixContext Context,
    IReadOnlyList<float> Times,
    Tensor Trajectory,
    Tensor Velocities,
    Tensor ActionsPadded,
    Tensor ActionChunk,
    Tensor SelectedActions,
    Tensor CachedVelocityAtTrainingPoint);

public sealed record TrainingRecord(
    double Loss,
    IReadOnlyDictionary<string, Tensor> Gradients,
    IReadOnlyList<string> TrainableNames,
    double GradNorm,
    IReadOnlyDictionary<string, Tensor> ParametersAfter,
    double LossAfter);
