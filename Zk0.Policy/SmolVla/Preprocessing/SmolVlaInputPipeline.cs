using TorchSharp;
using Zk0.Policy.Tokenization;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Preprocessing;

/// <summary>
/// LeRobot's whole SmolVLA input path in one place: the processor steps (task + "\n" and tokenization,
/// MEAN_STD normalization of state and actions) followed by the policy's own preparation (resize with pad,
/// [-1, 1], padding to the max dims); and the output path (cut to the real action dim, un-normalize).
/// </summary>
public sealed class SmolVlaInputPipeline(SmolVlaPreprocessor preprocessor, LanguageTokenizer tokenizer, MeanStdNormalizer normalizer)
{
    public const string ActionIsPadKey = "action_is_pad";

    public PreprocessedBatch Prepare(IReadOnlyDictionary<string, Tensor> batch, IReadOnlyList<string> tasks)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(tasks);
        if (!batch.TryGetValue(SmolVlaPreprocessor.StateKey, out var rawState))
        {
            throw new ArgumentException($"The batch has no '{SmolVlaPreprocessor.StateKey}' (keys: {string.Join(", ", batch.Keys)}).", nameof(batch));
        }
        var batchSize = rawState.shape[0];
        // A single task stands for every sample, as in LeRobot's prepare_language.
        var rowTasks = tasks.Count == 1 ? Enumerable.Repeat(tasks[0], (int)batchSize).ToArray() : tasks;
        if (rowTasks.Count != batchSize)
        {
            throw new ArgumentException($"Got {tasks.Count} task strings for a batch of {batchSize}; pass one per sample or a single one for all.", nameof(tasks));
        }

        var images = preprocessor.PrepareImages(batch);
        var (tokens, languageMask) = tokenizer.Tokenize(rowTasks).ToTensors(rawState.device);

        using var normalizedState = normalizer.Normalize(SmolVlaPreprocessor.StateKey, rawState);
        var state = preprocessor.PrepareState(normalizedState);

        Tensor? actions = null;
        Tensor? actionIsPad = null;
        if (batch.TryGetValue(SmolVlaPreprocessor.ActionKey, out var rawActions))
        {
            using var normalizedActions = normalizer.Normalize(SmolVlaPreprocessor.ActionKey, rawActions);
            actions = preprocessor.PrepareActions(normalizedActions);
            if (batch.TryGetValue(ActionIsPadKey, out var isPad))
            {
                actionIsPad = isPad.dtype == ScalarType.Bool ? isPad.alias() : isPad.to(ScalarType.Bool);
            }
        }
        return new PreprocessedBatch(images, tokens, languageMask, state, actions, actionIsPad);
    }

    /// <summary>Network actions [.., max_action_dim] → the robot's first <paramref name="actionDim"/> values, un-normalized.</summary>
    public Tensor Finish(Tensor paddedActions, int actionDim)
    {
        ArgumentNullException.ThrowIfNull(paddedActions);
        if (actionDim <= 0 || actionDim > paddedActions.shape[^1])
        {
            throw new ArgumentOutOfRangeException(nameof(actionDim), actionDim, $"The action dim must be in 1..{paddedActions.shape[^1]}.");
        }
        using var real = paddedActions[TensorIndex.Ellipsis, TensorIndex.Slice(0, actionDim)];
        return normalizer.Unnormalize(SmolVlaPreprocessor.ActionKey, real);
    }
}
