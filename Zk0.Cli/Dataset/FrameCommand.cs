using System.CommandLine;
using Zk0.Datasets.Frames;
using Zk0.Datasets.Reading;

namespace Zk0.Cli.Dataset;

internal static class FrameCommand
{
    public static Command Create()
    {
        var uri = DatasetCommands.UriArgument();
        var episode = new Option<int>("--episode") { Description = "Episode index.", Required = true };
        var index = new Option<int>("--index") { Description = "Frame index within the episode.", Required = true };
        var camera = new Option<string>("--camera") { Description = "Camera feature key, e.g. observation.images.top.", Required = true };
        var output = new Option<string>("--out") { Description = "PNG file to write.", Required = true };
        var command = new Command("frame", "Save one camera frame as PNG.") { uri, episode, index, camera, output };
        command.SetAction((parse, cancellationToken) => CliRun.GuardAsync(parse, async stdout =>
        {
            using var dataset = await LeRobotDataset.OpenAsync(parse.GetValue(uri)!, cancellationToken: cancellationToken);
            var row = dataset.RowOf(parse.GetValue(episode), parse.GetValue(index));
            var frame = dataset.ReadFrame(parse.GetValue(camera)!, row);
            var path = parse.GetValue(output)!;
            ImageCodec.SavePng(frame, path);
            await stdout.WriteLineAsync($"wrote {path} ({frame.Width}x{frame.Height}, episode {parse.GetValue(episode)}, frame {parse.GetValue(index)}, t={dataset.Timestamp(row):0.####} s)");
            return 0;
        }));
        return command;
    }
}
