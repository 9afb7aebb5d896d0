using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Lora;
using Microsoft.ML.Kto.Models.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Models;

/// <summary>LoRA on the module tree: names, initialisation, switching adapters off, PEFT's files in and out, merging, bad input.</summary>
[TestClass]
public sealed class LoraModelTests
{
    private static TinyKtoFixtures Fixture = null!;
    private string _dir = "";

    [ClassInitialize]
    public static void Create(TestContext _) => Fixture = TinyKtoFixtures.Create();

    [ClassCleanup]
    public static void Delete() => Fixture.Dispose();

    [TestInitialize]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("kto-lora-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private static Tensor Ids() => tensor(new long[,] { { 5, 40, 41, 260, 7, 9 }, { 12, 13, 14, 15, 16, 17 } });

    private static Tensor Logits(CausalLM model)
    {
        using var noGrad = no_grad();
        return model.Logits(Ids());
    }

    // Non-zero B (and perturbed copies), so an adapter changes what the model computes.
    internal static void Randomize(LoraModel lora, string adapter = LoraModel.DefaultAdapter, int seed = 5)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        foreach (var (key, parameter) in lora.Tensors(adapter))
        {
            var noise = empty(parameter.shape, ScalarType.Float32).normal_(0, 0.1, generator).to(parameter.dtype);
            parameter.add_(noise);
        }
    }

    [TestMethod]
    public void AdaptersSitOnTheTargetedLayersUnderPeftsNamesAndTheBaseIsFrozen()
    {
        using var scope = NewDisposeScope();
        using var model = Fixture.LoadModel();
        var baseNames = model.Parameters.Keys.ToList();
        var lora = LoraModel.Create(model, new LoraOptions(), "base");

        Assert.AreSame(lora, model.Lora);
        var added = model.Parameters.Keys.Except(baseNames).ToList();
        CollectionAssert.AreEquivalent(new[]
        {
            "model.layers.0.self_attn.q_proj.lora_A.default.weight", "model.layers.0.self_attn.q_proj.lora_B.default.weight",
            "model.layers.0.self_attn.v_proj.lora_A.default.weight", "model.layers.0.self_attn.v_proj.lora_B.default.weight",
            "model.layers.1.self_attn.q_proj.lora_A.default.weight", "model.layers.1.self_attn.q_proj.lora_B.default.weight",
            "model.layers.1.self_attn.v_proj.lora_A.default.weight", "model.layers.1.self_attn.v_proj.lora_B.default.weight",
        }, added);
        // A [r, in], B [out, r]: v_proj maps hidden 32 to 2 key/value heads of 8.
        CollectionAssert.AreEqual(new long[] { 8, 32 }, model.Parameters["model.layers.0.self_attn.v_proj.lora_A.default.weight"].shape);
        CollectionAssert.AreEqual(new long[] { 16, 8 }, model.Parameters["model.layers.0.self_attn.v_proj.lora_B.default.weight"].shape);
        Assert.IsTrue(baseNames.All(n => !model.Parameters[n].requires_grad), "the base model is frozen");
        // PEFT's init: A ~ U(-1/√in, 1/√in) (Kaiming uniform, a = √5), B = 0.
        var a = model.Parameters["model.layers.0.self_attn.q_proj.lora_A.default.weight"];
        Assert.IsTrue(a.abs().max().ToDouble() <= 1 / Math.Sqrt(32) && a.abs().max().ToDouble() > 0.5 / Math.Sqrt(32));
        Assert.AreEqual(0.0, model.Parameters["model.layers.0.self_attn.q_proj.lora_B.default.weight"].abs().max().ToDouble());
    }

    [TestMethod]
    public void AllLinearTargetsEveryDecoderLinearButTheHead()
    {
        using var scope = NewDisposeScope();
        using var model = Fixture.LoadModel();
        LoraModel.Create(model, new LoraOptions { TargetModules = [LoraOptions.AllLinear] }, "base");
        var adapted = model.Parameters.Keys.Where(n => n.EndsWith(".lora_A.default.weight")).Select(n => n.Split('.')[^4]).Distinct().ToList();
        CollectionAssert.AreEqual(new[] { "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj" }, adapted);
        Assert.IsFalse(model.Parameters.Keys.Any(n => n.StartsWith("lm_head.lora")));
        Assert.AreEqual(2 * 7 * 2, model.Parameters.Keys.Count(n => n.Contains(".lora_")));
    }

    [TestMethod]
    public void AFreshAdapterChangesNothingAndSwitchedOffAdaptersGiveExactlyTheBaseModel()
    {
        using var scope = NewDisposeScope();
        using var plain = Fixture.LoadModel();
        using var model = Fixture.LoadModel();
        var expected = Logits(plain).data<float>().ToArray();
        var lora = LoraModel.Create(model, new LoraOptions { TargetModules = [LoraOptions.AllLinear], ModulesToSave = ["lm_head", "embed_tokens"] }, "base", seed: 3);

        // B = 0 and copies equal to their originals: the adapted model computes exactly the base model (so the first
        // step's log-ratios, KL and rewards are 0, as in TRL).
        CollectionAssert.AreEqual(expected, Logits(model).data<float>().ToArray());

        Randomize(lora);
        var adapted = Logits(model).data<float>().ToArray();
        CollectionAssert.AreNotEqual(expected, adapted);
        using (lora.Activate(null))
        {
            CollectionAssert.AreEqual(expected, Logits(model).data<float>().ToArray(), "adapters off = the base model, bit for bit");
        }

        CollectionAssert.AreEqual(adapted, Logits(model).data<float>().ToArray(), "switching back restores the adapter");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TheUpdateIsBTimesATimesAlphaOverROrOverSqrtRWithRslora(bool rslora)
    {
        using var scope = NewDisposeScope();
        using var model = Fixture.LoadModel();
        var options = new LoraOptions { R = 4, Alpha = 12, UseRslora = rslora, TargetModules = ["model.layers.1.mlp.down_proj"] };
        var lora = LoraModel.Create(model, options, "base");
        Randomize(lora);
        var p = model.Parameters;
        var x = randn(3, 64, generator: new Generator(1));
        using var noGrad = no_grad();
        var layer = (Linear)model.named_modules().First(m => m.name == "model.layers.1.mlp.down_proj").module;
        var scaling = rslora ? 12 / Math.Sqrt(4) : 12.0 / 4;
        Assert.AreEqual(scaling, options.Scaling, 1e-12);
        var a = p["model.layers.1.mlp.down_proj.lora_A.default.weight"];
        var b = p["model.layers.1.mlp.down_proj.lora_B.default.weight"];
        var expected = x.matmul(p["model.layers.1.mlp.down_proj.weight"].t()) + x.matmul(a.t()).matmul(b.t()) * scaling;
        Assert.IsTrue((layer.Forward(x) - expected).abs().max().ToDouble() < 1e-5);
    }

    [TestMethod]
    public void SavedAdaptersHavePeftsFilesAndLoadBackBitExact()
    {
        using var scope = NewDisposeScope();
        using var model = Fixture.LoadModel();
        var lora = LoraModel.Create(model, new LoraOptions { R = 4, Alpha = 16, Dropout = 0.05, ModulesToSave = ["lm_head"], UseRslora = true }, "/models/tiny");
        Randomize(lora);
        lora.Save(_dir);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "adapter_config.json")))!.AsObject();
        Assert.AreEqual("LORA", config["peft_type"]!.GetValue<string>());
        Assert.AreEqual("CAUSAL_LM", config["task_type"]!.GetValue<string>());
        Assert.AreEqual(4, config["r"]!.GetValue<int>());
        Assert.AreEqual(16, config["lora_alpha"]!.GetValue<double>());
        Assert.AreEqual(0.05, config["lora_dropout"]!.GetValue<double>());
        Assert.AreEqual("none", config["bias"]!.GetValue<string>());
        Assert.IsTrue(config["use_rslora"]!.GetValue<bool>());
        Assert.IsFalse(config["fan_in_fan_out"]!.GetValue<bool>());
        Assert.IsTrue(config["inference_mode"]!.GetValue<bool>());
        Assert.IsTrue(config["init_lora_weights"]!.GetValue<bool>());
        Assert.AreEqual("/models/tiny", config["base_model_name_or_path"]!.GetValue<string>());
        CollectionAssert.AreEqual(new[] { "q_proj", "v_proj" }, config["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray());
        CollectionAssert.AreEqual(new[] { "lm_head" }, config["modules_to_save"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray());
        using (var file = SafetensorsFile.Open(Path.Combine(_dir, "adapter_model.safetensors")))
        {
            CollectionAssert.AreEquivalent(new[]
            {
                "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
                "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight", "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight",
                "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight", "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight",
                "base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight", "base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight",
                "base_model.model.lm_head.weight",
            }, file.Entries.Keys.ToArray());
        }

        using var reloaded = Fixture.LoadModel();
        var loaded = LoraModel.Load(reloaded, _dir);
        Assert.AreEqual(LoraModel.DefaultAdapter, loaded.ActiveAdapter);
        foreach (var (key, parameter) in lora.Tensors(LoraModel.DefaultAdapter))
        {
            CollectionAssert.AreEqual(parameter.data<float>().ToArray(), loaded.Tensors(LoraModel.DefaultAdapter).Single(t => t.Key == key).Parameter.data<float>().ToArray(), key);
        }

        CollectionAssert.AreEqual(Logits(model).data<float>().ToArray(), Logits(reloaded).data<float>().ToArray());
    }

    [TestMethod]
    public void MergingGivesTheLogitsOfTheUnmergedAdapterAndAPlainModel()
    {
        using var scope = NewDisposeScope();
        using var model = Fixture.LoadModel();
        var lora = LoraModel.Create(model, new LoraOptions { TargetModules = [LoraOptions.AllLinear], ModulesToSave = ["lm_head"] }, "base");
        Randomize(lora);
        var unmerged = Logits(model);

        lora.MergeAndUnload();

        Assert.IsNull(model.Lora);
        using var plain = Fixture.LoadModel();
        CollectionAssert.AreEqual(plain.Parameters.Keys.ToArray(), model.Parameters.Keys.ToArray(), "a merged model has exactly the base model's tensors");
        var difference = (Logits(model) - unmerged).abs().max().ToDouble();
        Assert.IsTrue(difference < 1e-4, $"merged vs unmerged logits differ by {difference}");
        Assert.IsTrue((Logits(plain) - unmerged).abs().max().ToDouble() > 1e-2, "the adapter mattered");
        model.SaveTo(_dir); // a plain model again: saves in Hugging Face layout
    }

    [TestMethod]
    public void AnAdaptedModelCannotBeSavedAsAPlainModel()
    {
        using var model = Fixture.LoadModel();
        LoraModel.Create(model, new LoraOptions(), "base");
        var error = Assert.ThrowsException<InvalidOperationException>(() => model.SaveTo(_dir));
        StringAssert.Contains(error.Message, "MergeAndUnload");
    }

    [TestMethod]
    public void UnknownTargetsAndModulesToSaveNameTheValidOnes()
    {
        using var model = Fixture.LoadModel();
        var error = Assert.ThrowsException<ArgumentException>(() => LoraModel.Create(model, new LoraOptions { TargetModules = ["q_proj", "qproj"] }, "base"));
        StringAssert.Contains(error.Message, "'qproj' matches no linear layer");
        StringAssert.Contains(error.Message, "q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj");
        Assert.IsNull(model.Lora, "a failed attach leaves the model plain");
        Assert.IsFalse(model.Parameters.Keys.Any(n => n.Contains("lora_")));

        error = Assert.ThrowsException<ArgumentException>(() => LoraModel.Create(model, new LoraOptions { TargetModules = ["lm_head"] }, "base"));
        StringAssert.Contains(error.Message, "ModulesToSave");
        error = Assert.ThrowsException<ArgumentException>(() => LoraModel.Create(model, new LoraOptions { ModulesToSave = ["norm"] }, "base"));
        StringAssert.Contains(error.Message, "RmsNorm");
        error = Assert.ThrowsException<ArgumentException>(() => LoraModel.Create(model, new LoraOptions { ModulesToSave = ["head"] }, "base"));
        StringAssert.Contains(error.Message, "lm_head");
        using var tied = GoldenModels.Load("qwen2");
        error = Assert.ThrowsException<ArgumentException>(() => LoraModel.Create(tied, new LoraOptions { ModulesToSave = ["lm_head"] }, "base"));
        StringAssert.Contains(error.Message, "tie_word_embeddings");
    }

    [TestMethod]
    [DataRow(0, 8.0, 0.0, "Lora.R")]
    [DataRow(-1, 8.0, 0.0, "Lora.R")]
    [DataRow(8, 0.0, 0.0, "Lora.Alpha")]
    [DataRow(8, -2.0, 0.0, "Lora.Alpha")]
    [DataRow(8, 8.0, 1.0, "Lora.Dropout")]
    [DataRow(8, 8.0, -0.1, "Lora.Dropout")]
    public void OutOfRangeOptionsAreNamed(int r, double alpha, double dropout, string option)
    {
        var options = new KtoOptions { Lora = new LoraOptions { R = r, Alpha = alpha, Dropout = dropout } };
        var error = Assert.ThrowsException<ArgumentException>(options.Validate);
        StringAssert.StartsWith(error.Message, option);
        Assert.ThrowsException<ArgumentException>(() => new LoraOptions { TargetModules = [] }.Validate());
        Assert.ThrowsException<ArgumentException>(() => new LoraOptions { TargetModules = ["all-linear", "q_proj"] }.Validate());
    }

    // A valid adapter in _dir, for the bad-file tests to spoil.
    private void SaveAdapter(LoraOptions? options = null)
    {
        using var model = Fixture.LoadModel();
        Randomize(LoraModel.Create(model, options ?? new LoraOptions(), "base"));
        model.Lora!.Save(_dir);
    }

    private void RewriteWeights(Func<Dictionary<string, Tensor>, IEnumerable<KeyValuePair<string, Tensor>>> change)
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "adapter_model.safetensors");
        var tensors = SafetensorsIO.ReadAll(path);
        SafetensorsIO.Write(path, change(tensors).ToList());
    }

    private ModelFormatException LoadFails()
    {
        using var model = Fixture.LoadModel();
        var error = Assert.ThrowsException<ModelFormatException>(() => LoraModel.Load(model, _dir));
        Assert.IsNull(model.Lora, "a failed load leaves the model plain");
        return error;
    }

    [TestMethod]
    public void MissingAndUnexpectedAdapterTensorsAreNamed()
    {
        SaveAdapter();
        RewriteWeights(t => t.Where(kv => !kv.Key.Contains("layers.1.self_attn.v_proj.lora_B"))
            .Append(new("base_model.model.model.layers.0.mlp.up_proj.lora_A.weight", zeros(8, 32))));
        var error = LoadFails();
        StringAssert.Contains(error.Message, "missing tensors: base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight");
        StringAssert.Contains(error.Message, "unexpected tensors: base_model.model.model.layers.0.mlp.up_proj.lora_A.weight");
    }

    [TestMethod]
    public void ARankOtherThanTheConfigsIsNamedWithTheFix()
    {
        SaveAdapter();
        var path = Path.Combine(_dir, "adapter_config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["r"] = 4;
        File.WriteAllText(path, config.ToJsonString());
        var error = LoadFails();
        StringAssert.Contains(error.Message, "lora_A.weight has rank 8");
        StringAssert.Contains(error.Message, "r = 4");
    }

    [TestMethod]
    public void AnAdapterForAnotherBaseModelIsNamed()
    {
        SaveAdapter();
        RewriteWeights(t => t.Select(kv => kv.Key == "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight" ? new(kv.Key, zeros(8, 48)) : kv));
        var error = LoadFails();
        StringAssert.Contains(error.Message, "q_proj.lora_A.weight has shape [8, 48], but this base model needs [8, 32]");
    }

    [TestMethod]
    [DataRow("use_dora", "true", "DoRA")]
    [DataRow("peft_type", "\"IA3\"", "only LoRA adapters")]
    [DataRow("target_modules", "\".*proj\"", "regular expression")]
    [DataRow("r", "null", "lacks 'r'")]
    [DataRow("lora_alpha", "0", "Lora.Alpha")]
    public void UnsupportedOrBrokenConfigsAreNamed(string key, string value, string expected)
    {
        SaveAdapter();
        var path = Path.Combine(_dir, "adapter_config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config[key] = JsonNode.Parse(value);
        File.WriteAllText(path, config.ToJsonString());
        StringAssert.Contains(LoadFails().Message, expected);
    }

    [TestMethod]
    public void AnAdapterDirectoryWithoutItsFilesIsNamed()
    {
        StringAssert.Contains(LoadFails().Message, "no adapter_config.json");
        SaveAdapter();
        File.Delete(Path.Combine(_dir, "adapter_model.safetensors"));
        StringAssert.Contains(LoadFails().Message, "no adapter_model.safetensors");
    }

    [TestMethod]
    public void AdaptersLeaveNoLiveTensorsOnceMergedOrDisposed()
    {
        var before = TorchRuntime.LiveTensors;
        using (var model = Fixture.LoadModel())
        {
            var lora = LoraModel.Create(model, new LoraOptions { TargetModules = [LoraOptions.AllLinear], ModulesToSave = ["lm_head"] }, "base");
            lora.AddAdapter("second", new LoraOptions());
            lora.DeleteAdapter("second");
            lora.MergeAndUnload();
        }
        using (var model = Fixture.LoadModel())
        {
            LoraModel.Create(model, new LoraOptions { Dropout = 0.1 }, "base");
            using var scope = NewDisposeScope();
            model.Logits(Ids()).sum().backward();
        }
        Assert.AreEqual(before, TorchRuntime.LiveTensors);
    }
}
