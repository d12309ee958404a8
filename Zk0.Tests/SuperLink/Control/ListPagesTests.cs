using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.Control;
using Zk0.SuperLink.Rounds;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Control;

/// <summary>
/// ListRuns and ListNodes serve bounded pages, so a federation whose runs together outgrow a gRPC message (4 MiB) stays
/// listable; tokens name the last item, so what is added meanwhile is neither repeated nor skipped.
/// </summary>
public sealed class ListPagesTests(GarnetFixture redis) : IClassFixture<GarnetFixture>, IAsyncLifetime
{
    private readonly string _blobs = Directory.CreateTempSubdirectory("zk0-pages-").FullName;
    private SuperLinkTestHost _link = null!;

    public async Task InitializeAsync() =>
        // Nothing drives runs here: submitted runs stay pending, as many as the test submits.
        _link = await SuperLinkTestHost.StartAsync(redis.ConnectionString, _blobs, $"pg{Guid.NewGuid():N}"[..12],
            services => services.Remove(services.Single(d => d.ImplementationType == typeof(RoundLoopService))));

    public async Task DisposeAsync()
    {
        await _link.DisposeAsync();
        Directory.Delete(_blobs, recursive: true);
    }

    private async Task<List<string>> SubmitAsync(int count, int configBytes = 0)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var request = new SubmitRunRequest { Config = { ["num-server-rounds"] = "1" } };
            // Config values of at most 4 KiB each (SuperLink:Limits), 16 KiB in all.
            for (var part = 0; part * 4000 < configBytes; part++) request.Config[$"note-{part}"] = new string('x', Math.Min(4000, configBytes - part * 4000));
            ids.Add((await _link.Control.SubmitRunAsync(request)).RunId);
        }
        return ids;
    }

    [Fact]
    public async Task Runs_whose_records_together_outgrow_a_grpc_message_are_listed_page_by_page_oldest_first()
    {
        var submitted = await SubmitAsync(300, configBytes: 15_000);

        // 300 × 15 KB is more than the 4 MiB a reply may have: unpaged, nobody could list these runs.
        var first = await _link.Control.ListRunsAsync(new ListRunsRequest());
        Assert.Equal(ListPages.DefaultRuns, first.Runs.Count);
        Assert.Equal(first.Runs[^1].RunId, first.NextPageToken);

        var all = await ControlListing.AllRunsAsync(_link.Control);
        Assert.Equal(submitted.Order(StringComparer.Ordinal), all.Select(r => r.RunId).Order(StringComparer.Ordinal));
        Assert.True(all.Zip(all.Skip(1)).All(pair => pair.First.CreatedUnixMs <= pair.Second.CreatedUnixMs), "oldest first");
    }

    [Fact]
    public async Task A_run_submitted_between_pages_is_on_the_last_page_and_nothing_repeats()
    {
        var submitted = await SubmitAsync(5);
        var page = await _link.Control.ListRunsAsync(new ListRunsRequest { PageSize = 2 });
        var listed = page.Runs.Select(r => r.RunId).ToList();
        // Runs are ordered by submission millisecond (then id): one submitted later sorts after every listed run.
        await Task.Delay(5);
        submitted.AddRange(await SubmitAsync(1));
        while (page.NextPageToken.Length > 0)
        {
            page = await _link.Control.ListRunsAsync(new ListRunsRequest { PageSize = 2, PageToken = page.NextPageToken });
            listed.AddRange(page.Runs.Select(r => r.RunId));
        }
        Assert.Equal(submitted.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal((await ControlListing.AllRunsAsync(_link.Control)).Select(r => r.RunId), listed);
    }

    [Fact]
    public async Task A_page_size_above_the_maximum_is_served_as_the_maximum()
    {
        await SubmitAsync(ListPages.MaxRuns + 1);
        var page = await _link.Control.ListRunsAsync(new ListRunsRequest { PageSize = 100_000 });
        Assert.Equal(ListPages.MaxRuns, page.Runs.Count);
        Assert.NotEmpty(page.NextPageToken);
    }

    [Fact]
    public async Task Nodes_are_listed_page_by_page_in_the_order_of_one_whole_listing()
    {
        var registered = new List<string>();
        for (var i = 0; i < 7; i++)
            registered.Add((await _link.Fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = $"ds-{i}", Role = "trainer", NumExamples = 1 })).NodeId);
        var whole = (await _link.Control.ListNodesAsync(new ListNodesRequest())).Nodes.Select(n => n.NodeId).ToList();
        Assert.Equal(registered.Order(), whole.Order());

        var page = await _link.Control.ListNodesAsync(new ListNodesRequest { PageSize = 3 });
        var listed = page.Nodes.Select(n => n.NodeId).ToList();
        Assert.Equal(3, listed.Count);
        while (page.NextPageToken.Length > 0)
        {
            page = await _link.Control.ListNodesAsync(new ListNodesRequest { PageSize = 3, PageToken = page.NextPageToken });
            listed.AddRange(page.Nodes.Select(n => n.NodeId));
        }
        Assert.Equal(whole, listed);
        Assert.Equal(whole, (await ControlListing.AllNodesAsync(_link.Control)).Select(n => n.NodeId));
    }

    [Theory]
    [InlineData("run-20990101-000000-000000000", "ListRuns")]
    [InlineData("not a token", "ListRuns")]
    public async Task A_run_page_token_this_superlink_never_gave_is_refused_with_what_to_do(string token, string api)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _link.Control.ListRunsAsync(new ListRunsRequest { PageToken = token }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"is not one {api} gave", error.Status.Detail);
        Assert.Contains("empty page_token", error.Status.Detail);
    }

    [Fact]
    public async Task A_malformed_node_page_token_and_a_negative_page_size_are_refused()
    {
        var token = await Assert.ThrowsAsync<RpcException>(() => _link.Control.ListNodesAsync(new ListNodesRequest { PageToken = "node-123" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, token.StatusCode);
        Assert.Contains("is not one ListNodes gave", token.Status.Detail);

        var size = await Assert.ThrowsAsync<RpcException>(() => _link.Control.ListRunsAsync(new ListRunsRequest { PageSize = -1 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, size.StatusCode);
        Assert.Contains("page_size must be 0", size.Status.Detail);
    }
}
