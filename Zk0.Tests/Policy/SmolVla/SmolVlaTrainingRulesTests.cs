using Zk0.Policy.SmolVla;
using Zk0.Policy.SmolVla.Configuration;
using Zk0.Policy.SmolVla.FlowMatching;
using Zk0.Policy.SmolVla.Training;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla;

public sealed class SmolVlaTrainingRulesTests
{
    [Fact]
    public void ScheduleStartsAtPeakOverWarmupPlusOneAndDecaysToTheFinalRate()
    {
        var schedule = CosineDecayWithWarmup.From(new SmolVlaConfig());
        Assert.Equal(1e-4 / 1001, schedule.LearningRate(0), 15);
        // LeRobot's cosine phase counts from step 0, not from the end of the warm-up.
        var alpha = 2.5e-6 / 1e-4;
        Assert.Equal(1e-4 * ((1 - alpha) * 0.5 * (1 + Math.Cos(Math.PI * 1000 / 30000)) + alpha), schedule.LearningRate(1000), 15);
        Assert.True(schedule.LearningRate(500) < schedule.LearningRate(999));
        Assert.Equal(2.5e-6, schedule.LearningRate(30000), 12);
        Assert.Equal(2.5e-6, schedule.LearningRate(50000), 12);
    }

    [Fact]
    public void FlowMatchingTimeStaysInsideTheShiftedBetaRange()
    {
        using var time = FlowMatchingNoise.SampleTime(20000, CPU, new Generator(3));
        Assert.True(time.min().item<float>() >= 0.001f);
        Assert.True(time.max().item<float>() <= 1.0f);
        // Beta(1.5, 1) has mean 0.6, so 0.999·0.6 + 0.001 = 0.6004.
        Assert.Equal(0.6004, time.mean().item<float>(), 2);
    }

    [Fact]
    public void TrainingTheWholeVlmStillFreezesTheParametersThatNeverReachTheLoss()
    {
        var fixture = SmolVlaConfigJson.Load(SmolVlaFixtureFiles.PathOf("config.json"));
        var arch = fixture with { Policy = fixture.Policy with { TrainExpertOnly = false, FreezeVisionEncoder = false, TrainStateProj = false } };
        using var policy = new SmolVlaPolicy(arch, new TensorPlacement(META, ScalarType.Float32));
        var trainable = ParameterFreezing.TrainableNames(policy);
        var last = arch.VlmLayers - 1;
        Assert.Contains("model.vlm_with_expert.vlm.model.vision_model.embeddings.patch_embedding.weight", trainable);
        Assert.Contains("model.vlm_with_expert.vlm.model.text_model.layers.0.self_attn.q_proj.weight", trainable);
        Assert.DoesNotContain("model.vlm_with_expert.vlm.lm_head.weight", trainable);
        Assert.DoesNotContain("model.vlm_with_expert.vlm.model.text_model.norm.weight", trainable);
        Assert.DoesNotContain($"model.vlm_with_expert.vlm.model.text_model.layers.{last}.mlp.up_proj.weight", trainable);
        Assert.DoesNotContain("model.state_proj.weight", trainable);
        Assert.Contains("model.action_in_proj.weight", trainable);
    }

    [Fact]
    public void InvalidConfigurationIsRejectedNamingTheFileAndTheFix()
    {
        var dir = Directory.CreateTempSubdirectory("zk0-smolvla-config-").FullName;
        try
        {
            var path = Path.Combine(dir, "config.json");
            File.WriteAllText(path, "{ \"type\": \"smolvla\", \"num_vlm_layers\": 5, \"num_expert_layers\": 2 }");
            var error = Assert.Throws<InvalidDataException>(() => SmolVlaConfigJson.Load(path));
            Assert.Contains(path, error.Message);
            Assert.Contains("num_expert_layers", error.Message);

            File.WriteAllText(path, "{ \"type\": \"pi0\" }");
            Assert.Contains("'pi0'", Assert.Throws<InvalidDataException>(() => SmolVlaConfigJson.Load(path)).Message);

            File.WriteAllText(path, "{ not json");
            Assert.Contains(path, Assert.Throws<InvalidDataException>(() => SmolVlaConfigJson.Load(path)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void LeRobotMixedPrecisionKeepsPlainModulesInFloat32AndStaysCloseToFloat32()
    {
        var run = new SmolVlaParityRun();
        using var reference = run.LoadPolicy();
        using var mixed = new SmolVlaPolicy(run.Architecture, TensorPlacement.LeRobotMixed(CPU));
        var dtypes = mixed.named_parameters().ToDictionary(p => p.name, p => p.parameter.dtype);
        Assert.Equal(ScalarType.Float32, dtypes["model.action_out_proj.weight"]);
        Assert.Equal(ScalarType.Float32, dtypes["model.state_proj.weight"]);
        Assert.Equal(ScalarType.Float32, dtypes["model.vlm_with_expert.lm_expert.layers.1.self_attn.k_proj.weight"]);
        Assert.Equal(ScalarType.BFloat16, dtypes["model.vlm_with_expert.lm_expert.layers.0.self_attn.k_proj.weight"]);
        Assert.Equal(ScalarType.BFloat16, dtypes["model.vlm_with_expert.vlm.model.text_model.layers.0.mlp.up_proj.weight"]);
        using (no_grad())
        {
            var source = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, parameter) in mixed.named_parameters())
                parameter.copy_(source[name]);
        }

        var inputs = run.Inputs;
        using var expected = reference.Loss(inputs, run.Input("pp.action"), null, run.Input("train.noise"), run.Input("train.time"));
        using var trainer = new SmolVlaTrainer(mixed, _ => 1e-4);
        var step = trainer.TrainStep(inputs, run.Input("pp.action"), null, run.Input("train.noise"), run.Input("train.time"));
        Assert.True(double.IsFinite(step.Loss) && double.IsFinite(step.GradNorm));
        Assert.Equal(expected.item<float>(), step.Loss, 0.1);
        using var chunk = mixed.PredictActionChunk(inputs, run.Input("infer.noise"));
        Assert.False(chunk.isnan().any().item<bool>());
    }

    [Fact]
    public void TinyPolicyTrainsInBFloat16CloseToFloat32()
    {
        var run = new SmolVlaParityRun();
        using var reference = run.LoadPolicy();
        using var bf16 = new SmolVlaPolicy(run.Architecture, new TensorPlacement(CPU, ScalarType.BFloat16));
        using (no_grad())
        {
            var source = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, parameter) in bf16.named_parameters())
                parameter.copy_(source[name]);
        }

        var inputs = run.Inputs;
        using var expected = reference.Loss(inputs, run.Input("pp.action"), null, run.Input("train.noise"), run.Input("train.time"));
        using var trainer = new SmolVlaTrainer(bf16, _ => 1e-4);
        var step = trainer.TrainStep(inputs, run.Input("pp.action"), null, run.Input("train.noise"), run.Input("train.time"));
        Assert.True(double.IsFinite(step.Loss) && double.IsFinite(step.GradNorm));
        Assert.Equal(expected.item<float>(), step.Loss, 0.1);
        using var chunk = bf16.PredictActionChunk(inputs, run.Input("infer.noise"));
        Assert.Equal(ScalarType.Float32, chunk.dtype);
        Assert.False(chunk.isnan().any().item<bool>());
    }
}
