using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Video;

/// <summary>A small least-recently-used cache of decoded frames keyed by (file, frame number).</summary>
internal sealed class FrameCache(int capacity)
{
    private readonly Dictionary<(string, int), LinkedListNode<((string, int) Key, RgbFrame Frame)>> _map = [];
    private readonly LinkedList<((string, int) Key, RgbFrame Frame)> _order = new();

    public RgbFrame? TryGet(string file, int number)
    {
        if (!_map.TryGetValue((file, number), out var node)) return null;
        _order.Remove(node);
        _order.AddFirst(node);
        return node.Value.Frame;
    }

    public void Add(string file, int number, RgbFrame frame)
    {
        if (capacity <= 0) return;
        if (_map.TryGetValue((file, number), out var existing)) _order.Remove(existing);
        _map[(file, number)] = _order.AddFirst(((file, number), frame));
        while (_map.Count > capacity)
        {
            var last = _order.Last!;
            _order.RemoveLast();
            _map.Remove(last.Value.Key);
        }
    }
}
