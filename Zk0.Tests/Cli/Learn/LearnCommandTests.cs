using System.CommandLine;
using System.Text.Json;
using Zk0.Cli.Learn;

namespace Zk0.Tests.Cli.Learn;

public sealed class LearnCommandTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("zk0-learn-").FullName;

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { LearnCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(["learn", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Each_configuration_gets_a_curve_of_closed_loop_success_against_steps_and_seconds()
    {
        var (exit, output, error) = await RunAsync("--tasks", "red-cube-to-left-bin", "--episodes", "2", "--steps", "2", "--eval-every", "1",
            "--eval-episodes", "1", "--out", _output,
            "--run-config", "policy=bc eval-max-steps=3 batch-size=2", "--run-config", "policy=bc eval-max-steps=3 batch-size=2 learning-rate=0.01");

        Assert.True(exit == 0, error);
        Assert.Contains("policy=bc eval-max-steps=3 batch-size=2: best success", output);
        Assert.Contains("learning-rate=0.01: best success", output);
        // One line per evaluation on stderr, as training goes.
        Assert.Contains("step 0:", error);
        Assert.Contains("step 1:", error);
        Assert.Contains("step 2:", error);

        var rows = File.ReadAllLines(Path.Combine(_output, "learning.csv"));
        Assert.Equal("config,steps,train_seconds,train_loss,learning_rate,eval_loss,action_error,success_rate,success_red-cube-to-left-bin", rows[0]);
        Assert.Equal(6, rows.Length - 1);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "learning.json")));
        var curves = json.RootElement.GetProperty("curves");
        Assert.Equal(2, curves.GetArrayLength());
        foreach (var curve in curves.EnumerateArray())
        {
            var points = curve.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal([0, 1, 2], points.Select(p => p.GetProperty("steps").GetInt32()));
            Assert.Equal(0, points[0].GetProperty("train_seconds").GetDouble());
            Assert.True(points[2].GetProperty("train_seconds").GetDouble() >= points[1].GetProperty("train_seconds").GetDouble());
            Assert.All(points, p => Assert.True(double.IsFinite(p.GetProperty("eval_loss").GetDouble())));
            // Training moved the model: the held-out loss is not the untrained one any more.
            Assert.NotEqual(points[0].GetProperty("eval_loss").GetDouble(), points[2].GetProperty("eval_loss").GetDouble());
            Assert.All(points, p => Assert.InRange(p.GetProperty("success_rate").GetDouble(), 0, 1));
        }
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(_output, "learning.png")).Take(4));
    }

    [Fact]
    public async Task Each_training_segment_is_a_round_of_the_run_configs_learning_rate_schedule()
    {
        var (exit, _, error) = await RunAsync("--tasks", "red-cube-to-left-bin", "--episodes", "2", "--steps", "3", "--eval-every", "1",
            "--eval-episodes", "1", "--out", _output,
            "--run-config", "policy=bc eval-max-steps=3 batch-size=2 lr-schedule=cosine-warmup warmup-rounds=0 learning-rate=0.001 min-learning-rate=0.0001");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "learning.json")));
        var points = json.RootElement.GetProperty("curves")[0].GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, points[0].GetProperty("learning_rate").ValueKind);
        // Cosine from 0.001 to the floor 0.0001 over 3 rounds: progress 0, 1/3, 2/3 → 0.001, 0.0001 + 0.0009·0.75, 0.0001 + 0.0009·0.25.
        Assert.Equal([0.001, 0.000775, 0.000325], points.Skip(1).Select(p => Math.Round(p.GetProperty("learning_rate").GetDouble(), 9)));
        Assert.Contains("at lr 0.000775", error);
    }

    [Theory]
    [InlineData(new[] { "--eval-every", "0" }, "--eval-every")]
    [InlineData(new[] { "--steps", "10", "--eval-every", "20" }, "--eval-every")]
    [InlineData(new[] { "--tasks", "pink-cube-to-nowhere" }, "Known tasks: red-cube-to-left-bin")]
    [InlineData(new[] { "--episodes", "1" }, "--episodes")]
    [InlineData(new[] { "--run-config", "policy=bc lerning-rate=0.1" }, "--run-config")]
    [InlineData(new[] { "--videos", "5", "--eval-episodes", "2" }, "--videos")]
    [InlineData(new[] { "--recovery", "-2" }, "--recovery must be from 0 to 20 degrees")]
    public async Task Bad_options_are_named_and_nothing_is_trained(string[] args, string expected)
    {
        var (exit, _, error) = await RunAsync([.. args, "--out", _output]);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_output));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
