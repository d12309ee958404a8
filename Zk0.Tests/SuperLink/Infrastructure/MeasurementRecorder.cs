using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Zk0.Tests.SuperLink.Infrastructure;

/// <summary>
/// Records every measurement of one meter's instruments. Meters are static, so tests running in parallel record into
/// the same instruments: select by tags (run id, node id, federation).
/// </summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();
    private readonly Lock _observing = new();

    public MeasurementRecorder(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The measurements of <paramref name="instrument"/> carrying all of <paramref name="tags"/>, in the order they were made.</summary>
    public IReadOnlyList<RecordedMeasurement> Of(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && m.Has(tags)).ToList();

    /// <summary>Runs the observable instruments' callbacks once and returns what <paramref name="instrument"/> reported.</summary>
    public IReadOnlyList<RecordedMeasurement> Observe(string instrument, params (string Key, string Value)[] tags)
    {
        lock (_observing)
        {
            var before = _measurements.Count;
            _listener.RecordObservableInstruments();
            return _measurements.Skip(before).Where(m => m.Instrument == instrument && m.Has(tags)).ToList();
        }
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, tag) in tags) copy[key] = Convert.ToString(tag, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        _measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, copy));
    }

    public void Dispose() => _listener.Dispose();
}

public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, string> Tags)
{
    public bool Has(IEnumerable<(string Key, string Value)> tags) => tags.All(t => Tags.TryGetValue(t.Key, out var value) && value == t.Value);
}
