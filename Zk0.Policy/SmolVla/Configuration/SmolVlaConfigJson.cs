using System.Text.Json;
using System.Text.Json.Nodes;

namespace Zk0.Policy.SmolVla.Configuration;

/// <summary>Reads and writes LeRobot's snake_case <c>config.json</c> for SmolVLA and transformers' SmolVLM config.</summary>
public static class SmolVlaConfigJson
{
    /// <summary>
    /// Loads a configuration file: either a LeRobot policy <c>config.json</c> (the VLM geometry then comes from a
    /// sibling <c>smolvlm_config.json</c> if present, else SmolVLM2-500M), or a file with <c>smolvla</c> and
    /// <c>smolvlm</c> sections as in the parity fixtures.
    /// </summary>
    public static SmolVlaArchitecture Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"SmolVLA configuration '{path}' does not exist; point to a checkpoint's config.json.", path);
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"SmolVLA configuration '{path}' is not valid JSON: {e.Message}", e);
        }

        var sibling = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "smolvlm_config.json");
        var vlmJson = File.Exists(sibling) ? File.ReadAllText(sibling) : null;
        return FromJson(root as JsonObject ?? throw new InvalidDataException($"SmolVLA configuration '{path}' must hold a JSON object."), path, vlmJson);
    }

    /// <summary>
    /// The architecture from a parsed configuration: fixture layout (<c>smolvla</c> + <c>smolvlm</c> sections) or a
    /// LeRobot policy config with the SmolVLM geometry given separately (<paramref name="vlmJson"/>; null = SmolVLM2-500M).
    /// </summary>
    public static SmolVlaArchitecture FromJson(JsonObject root, string source, string? vlmJson = null)
    {
        try
        {
            if (root["smolvla"] is JsonObject policy && root["smolvlm"] is JsonObject vlm)
                return Checked(new SmolVlaArchitecture(ReadPolicy(policy, source), ReadVlm(vlm)), source);
            var vlmConfig = vlmJson is not null && JsonNode.Parse(vlmJson) is JsonObject v ? ReadVlm(v) : new SmolVlmConfig();
            return Checked(new SmolVlaArchitecture(ReadPolicy(root, source), vlmConfig), source);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"SmolVLA configuration '{source}' has a field of the wrong type or value: {e.Message}", e);
        }
    }

    private static SmolVlaArchitecture Checked(SmolVlaArchitecture architecture, string path)
    {
        try
        {
            architecture.Validate();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"SmolVLA configuration '{path}': {e.Message}", e);
        }
        return architecture;
    }

    public static SmolVlaConfig ReadPolicy(JsonObject j, string source = "config.json")
    {
        var type = j["type"]?.GetValue<string>();
        if (type is not null && type != "smolvla")
            throw new InvalidDataException($"{source} describes a '{type}' policy, not 'smolvla'.");
        var d = new SmolVlaConfig();
        return d with
        {
            NObsSteps = Int(j, "n_obs_steps", d.NObsSteps),
            InputFeatures = Features(j["input_features"]) ?? d.InputFeatures,
            OutputFeatures = Features(j["output_features"]) ?? d.OutputFeatures,
            ChunkSize = Int(j, "chunk_size", d.ChunkSize),
            NActionSteps = Int(j, "n_action_steps", d.NActionSteps),
            MaxStateDim = Int(j, "max_state_dim", d.MaxStateDim),
            MaxActionDim = Int(j, "max_action_dim", d.MaxActionDim),
            ResizeImagesWithPadding = !j.ContainsKey("resize_imgs_with_padding") ? d.ResizeImagesWithPadding
                : j["resize_imgs_with_padding"] is JsonArray r ? (r[0]!.GetValue<int>(), r[1]!.GetValue<int>()) : null,
            EmptyCameras = Int(j, "empty_cameras", d.EmptyCameras),
            TokenizerMaxLength = Int(j, "tokenizer_max_length", d.TokenizerMaxLength),
            NumSteps = Int(j, "num_steps", d.NumSteps),
            UseCache = Bool(j, "use_cache", d.UseCache),
            FreezeVisionEncoder = Bool(j, "freeze_vision_encoder", d.FreezeVisionEncoder),
            TrainExpertOnly = Bool(j, "train_expert_only", d.TrainExpertOnly),
            TrainStateProj = Bool(j, "train_state_proj", d.TrainStateProj),
            OptimizerLr = Double(j, "optimizer_lr", d.OptimizerLr),
            OptimizerBetas = j["optimizer_betas"] is JsonArray b
                ? (b[0]!.GetValue<double>(), b[1]!.GetValue<double>()) : d.OptimizerBetas,
            OptimizerEps = Double(j, "optimizer_eps", d.OptimizerEps),
            OptimizerWeightDecay = Double(j, "optimizer_weight_decay", d.OptimizerWeightDecay),
            OptimizerGradClipNorm = Double(j, "optimizer_grad_clip_norm", d.OptimizerGradClipNorm),
            SchedulerWarmupSteps = Int(j, "scheduler_warmup_steps", d.SchedulerWarmupSteps),
            SchedulerDecaySteps = Int(j, "scheduler_decay_steps", d.SchedulerDecaySteps),
            SchedulerDecayLr = Double(j, "scheduler_decay_lr", d.SchedulerDecayLr),
            VlmModelName = j["vlm_model_name"]?.GetValue<string>() ?? d.VlmModelName,
            AddImageSpecialTokens = Bool(j, "add_image_special_tokens", d.AddImageSpecialTokens),
            AttentionMode = j["attention_mode"]?.GetValue<string>() ?? d.AttentionMode,
            PrefixLength = Int(j, "prefix_length", d.PrefixLength),
            PadLanguageTo = j["pad_language_to"]?.GetValue<string>() ?? d.PadLanguageTo,
            NumExpertLayers = Int(j, "num_expert_layers", d.NumExpertLayers),
            NumVlmLayers = Int(j, "num_vlm_layers", d.NumVlmLayers),
            SelfAttnEveryNLayers = Int(j, "self_attn_every_n_layers", d.SelfAttnEveryNLayers),
            ExpertWidthMultiplier = Double(j, "expert_width_multiplier", d.ExpertWidthMultiplier),
            MinPeriod = Double(j, "min_period", d.MinPeriod),
            MaxPeriod = Double(j, "max_period", d.MaxPeriod),
        };
    }

    public static SmolVlmConfig ReadVlm(JsonObject j)
    {
        var d = new SmolVlmConfig();
        var vision = j["vision_config"] as JsonObject ?? [];
        var text = j["text_config"] as JsonObject ?? [];
        return d with
        {
            ScaleFactor = Int(j, "scale_factor", d.ScaleFactor),
            ImageTokenId = Int(j, "image_token_id", d.ImageTokenId),
            Vision = d.Vision with
            {
                HiddenSize = Int(vision, "hidden_size", d.Vision.HiddenSize),
                IntermediateSize = Int(vision, "intermediate_size", d.Vision.IntermediateSize),
                NumHiddenLayers = Int(vision, "num_hidden_layers", d.Vision.NumHiddenLayers),
                NumAttentionHeads = Int(vision, "num_attention_heads", d.Vision.NumAttentionHeads),
                NumChannels = Int(vision, "num_channels", d.Vision.NumChannels),
                ImageSize = Int(vision, "image_size", d.Vision.ImageSize),
                PatchSize = Int(vision, "patch_size", d.Vision.PatchSize),
                LayerNormEps = Double(vision, "layer_norm_eps", d.Vision.LayerNormEps),
                HiddenAct = vision["hidden_act"]?.GetValue<string>() ?? d.Vision.HiddenAct,
            },
            Text = d.Text with
            {
                VocabSize = Int(text, "vocab_size", d.Text.VocabSize),
                HiddenSize = Int(text, "hidden_size", d.Text.HiddenSize),
                IntermediateSize = Int(text, "intermediate_size", d.Text.IntermediateSize),
                NumHiddenLayers = Int(text, "num_hidden_layers", d.Text.NumHiddenLayers),
                NumAttentionHeads = Int(text, "num_attention_heads", d.Text.NumAttentionHeads),
                NumKeyValueHeads = Int(text, "num_key_value_heads", d.Text.NumKeyValueHeads),
                ExplicitHeadDim = text.ContainsKey("head_dim") ? text["head_dim"]?.GetValue<int>() : d.Text.ExplicitHeadDim,
                RmsNormEps = Double(text, "rms_norm_eps", d.Text.RmsNormEps),
                AttentionBias = Bool(text, "attention_bias", d.Text.AttentionBias),
                MlpBias = Bool(text, "mlp_bias", d.Text.MlpBias),
                PadTokenId = Int(text, "pad_token_id", d.Text.PadTokenId),
            },
        };
    }

    /// <summary>The policy configuration in LeRobot's key names (what LeRobot's <c>config.json</c> holds).</summary>
    public static JsonObject WritePolicy(SmolVlaConfig c) => new()
    {
        ["type"] = "smolvla",
        ["n_obs_steps"] = c.NObsSteps,
        ["input_features"] = WriteFeatures(c.InputFeatures),
        ["output_features"] = WriteFeatures(c.OutputFeatures),
        ["normalization_mapping"] = new JsonObject { ["VISUAL"] = "IDENTITY", ["STATE"] = "MEAN_STD", ["ACTION"] = "MEAN_STD" },
        ["chunk_size"] = c.ChunkSize,
        ["n_action_steps"] = c.NActionSteps,
        ["max_state_dim"] = c.MaxStateDim,
        ["max_action_dim"] = c.MaxActionDim,
        ["resize_imgs_with_padding"] = c.ResizeImagesWithPadding is var (width, height) ? new JsonArray(width, height) : null,
        ["empty_cameras"] = c.EmptyCameras,
        ["adapt_to_pi_aloha"] = false,
        ["use_delta_joint_actions_aloha"] = false,
        ["tokenizer_max_length"] = c.TokenizerMaxLength,
        ["num_steps"] = c.NumSteps,
        ["use_cache"] = c.UseCache,
        ["freeze_vision_encoder"] = c.FreezeVisionEncoder,
        ["train_expert_only"] = c.TrainExpertOnly,
        ["train_state_proj"] = c.TrainStateProj,
        ["optimizer_lr"] = c.OptimizerLr,
        ["optimizer_betas"] = new JsonArray(c.OptimizerBetas.Beta1, c.OptimizerBetas.Beta2),
        ["optimizer_eps"] = c.OptimizerEps,
        ["optimizer_weight_decay"] = c.OptimizerWeightDecay,
        ["optimizer_grad_clip_norm"] = c.OptimizerGradClipNorm,
        ["scheduler_warmup_steps"] = c.SchedulerWarmupSteps,
        ["scheduler_decay_steps"] = c.SchedulerDecaySteps,
        ["scheduler_decay_lr"] = c.SchedulerDecayLr,
        ["vlm_model_name"] = c.VlmModelName,
        ["load_vlm_weights"] = false,
        ["add_image_special_tokens"] = c.AddImageSpecialTokens,
        ["attention_mode"] = c.AttentionMode,
        ["prefix_length"] = c.PrefixLength,
        ["pad_language_to"] = c.PadLanguageTo,
        ["num_expert_layers"] = c.NumExpertLayers,
        ["num_vlm_layers"] = c.NumVlmLayers,
        ["self_attn_every_n_layers"] = c.SelfAttnEveryNLayers,
        ["expert_width_multiplier"] = c.ExpertWidthMultiplier,
        ["min_period"] = c.MinPeriod,
        ["max_period"] = c.MaxPeriod,
    };

    /// <summary>The SmolVLM geometry in transformers' key names.</summary>
    public static JsonObject WriteVlm(SmolVlmConfig c) => new()
    {
        ["model_type"] = "smolvlm",
        ["scale_factor"] = c.ScaleFactor,
        ["image_token_id"] = c.ImageTokenId,
        ["vision_config"] = new JsonObject
        {
            ["model_type"] = "smolvlm_vision",
            ["hidden_size"] = c.Vision.HiddenSize,
            ["intermediate_size"] = c.Vision.IntermediateSize,
            ["num_hidden_layers"] = c.Vision.NumHiddenLayers,
            ["num_attention_heads"] = c.Vision.NumAttentionHeads,
            ["num_channels"] = c.Vision.NumChannels,
            ["image_size"] = c.Vision.ImageSize,
            ["patch_size"] = c.Vision.PatchSize,
            ["layer_norm_eps"] = c.Vision.LayerNormEps,
            ["hidden_act"] = c.Vision.HiddenAct,
        },
        ["text_config"] = new JsonObject
        {
            ["model_type"] = "llama",
            ["vocab_size"] = c.Text.VocabSize,
            ["hidden_size"] = c.Text.HiddenSize,
            ["intermediate_size"] = c.Text.IntermediateSize,
            ["num_hidden_layers"] = c.Text.NumHiddenLayers,
            ["num_attention_heads"] = c.Text.NumAttentionHeads,
            ["num_key_value_heads"] = c.Text.NumKeyValueHeads,
            ["head_dim"] = c.Text.HeadDim,
            ["rms_norm_eps"] = c.Text.RmsNormEps,
            ["attention_bias"] = c.Text.AttentionBias,
            ["mlp_bias"] = c.Text.MlpBias,
            ["pad_token_id"] = c.Text.PadTokenId,
        },
    };

    private static IReadOnlyList<KeyValuePair<string, PolicyFeature>>? Features(JsonNode? node)
    {
        if (node is not JsonObject o) return null;
        return o.Select(p => new KeyValuePair<string, PolicyFeature>(p.Key, new PolicyFeature(
            Enum.Parse<FeatureKind>(p.Value!["type"]!.GetValue<string>(), ignoreCase: true),
            p.Value!["shape"]!.AsArray().Select(x => x!.GetValue<int>()).ToArray()))).ToList();
    }

    private static JsonObject WriteFeatures(IEnumerable<KeyValuePair<string, PolicyFeature>> features)
    {
        var o = new JsonObject();
        foreach (var (name, f) in features)
            o[name] = new JsonObject
            {
                ["type"] = f.Kind.ToString().ToUpperInvariant(),
                ["shape"] = new JsonArray(f.Shape.Select(s => (JsonNode)s).ToArray()),
            };
        return o;
    }

    private static int Int(JsonObject j, string key, int fallback) => j[key] is JsonValue v ? (int)v.GetValue<double>() : fallback;
    private static double Double(JsonObject j, string key, double fallback) => j[key] is JsonValue v ? v.GetValue<double>() : fallback;
    private static bool Bool(JsonObject j, string key, bool fallback) => j[key] is JsonValue v ? v.GetValue<bool>() : fallback;
}
