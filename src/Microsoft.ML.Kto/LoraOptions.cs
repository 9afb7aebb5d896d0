namespace Microsoft.ML.Kto;

/// <summary>
/// LoRA: train low-rank adapters on frozen weights instead of the whole model (PEFT's <c>LoraConfig</c>, which TRL's
/// trainers take as <c>peft_config</c>). Names and defaults are PEFT's; adapters are saved and loaded in PEFT's layout
/// (<c>adapter_config.json</c>, <c>adapter_model.safetensors</c>). With LoRA and no explicit reference model, the
/// reference is the same model with its adapters switched off, so no second copy of the weights is loaded.
/// </summary>
public sealed class LoraOptions
{
    /// <summary>The name that targets every linear layer of the decoder except the LM head (PEFT's <c>all-linear</c>).</summary>
    public const string AllLinear = "all-linear";

    /// <summary>Rank r of each adapter (PEFT's <c>r</c>). Default 8.</summary>
    public int R { get; set; } = 8;

    /// <summary>α: the update B·A is scaled by α/r, or by α/√r with <see cref="UseRslora"/> (PEFT's <c>lora_alpha</c>). Default 8.</summary>
    public double Alpha { get; set; } = 8;

    /// <summary>Dropout probability on an adapter's input during training, in [0, 1) (PEFT's <c>lora_dropout</c>). Default 0.</summary>
    public double Dropout { get; set; }

    /// <summary>
    /// Linear layers that get adapters, by name: a module whose name is one of these or ends with "." and one of these
    /// (PEFT's rule), e.g. <c>q_proj</c>, <c>self_attn.o_proj</c>, <c>model.layers.0.mlp.up_proj</c>; or <c>all-linear</c> for
    /// every linear layer of the decoder. Default <c>q_proj</c>, <c>v_proj</c> (PEFT's choice for Llama, Mistral, Qwen2, Qwen3).
    /// </summary>
    public string[] TargetModules { get; set; } = ["q_proj", "v_proj"];

    /// <summary>
    /// Modules trained in full beside the adapters and saved with them (PEFT's <c>modules_to_save</c>), e.g. <c>lm_head</c>,
    /// <c>embed_tokens</c>: each gets a trainable copy; the reference keeps the original. Linear and embedding modules only.
    /// </summary>
    public string[] ModulesToSave { get; set; } = [];

    /// <summary>Rank-stabilised LoRA: scale by α/√r instead of α/r (PEFT's <c>use_rslora</c>).</summary>
    public bool UseRslora { get; set; }

    /// <summary>
    /// A PEFT adapter directory to continue training (PEFT's <c>PeftModel.from_pretrained(..., is_trainable=True)</c>):
    /// its <c>adapter_config.json</c> then sets the rank, α, dropout, targets and modules to save, and the reference is
    /// the base model without it. Null starts a new adapter.
    /// </summary>
    public string? AdapterDirectory { get; set; }

    /// <summary>
    /// A PEFT adapter directory loaded beside the trained one and switched on for the reference pass instead of switching
    /// adapters off (TRL's <c>ref_adapter_name</c>). Null: the reference is the base model.
    /// </summary>
    public string? ReferenceAdapterDirectory { get; set; }

    /// <summary>The scale of an adapter's update: α/r, or α/√r with <see cref="UseRslora"/> (PEFT's <c>scaling</c>).</summary>
    public double Scaling => UseRslora ? Alpha / Math.Sqrt(R) : Alpha / R;

    /// <summary>A copy that later changes to this object do not affect.</summary>
    internal LoraOptions Copy() => new()
    {
        R = R,
        Alpha = Alpha,
        Dropout = Dropout,
        TargetModules = [.. TargetModules],
        ModulesToSave = [.. ModulesToSave],
        UseRslora = UseRslora,
        AdapterDirectory = AdapterDirectory,
        ReferenceAdapterDirectory = ReferenceAdapterDirectory,
    };

    /// <summary>Checks the options, naming any that is out of range and how to fix it.</summary>
    public void Validate()
    {
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }
        Require(R > 0, $"Lora.R must be > 0 (got {R}); PEFT's default rank is 8.");
        Require(Alpha > 0 && double.IsFinite(Alpha), $"Lora.Alpha must be a finite number > 0 (got {Alpha}); PEFT's default is 8.");
        Require(Dropout is >= 0 and < 1, $"Lora.Dropout must lie in [0, 1) (got {Dropout}).");
        Require(TargetModules is { Length: > 0 } && TargetModules.All(t => !string.IsNullOrWhiteSpace(t)),
            $"Lora.TargetModules must name at least one module (e.g. q_proj, v_proj, or {AllLinear}), without empty names.");
        Require(!TargetModules.Contains(AllLinear) || TargetModules.Length == 1, $"Lora.TargetModules: '{AllLinear}' stands alone; it already targets every linear layer.");
        Require(ModulesToSave is not null && ModulesToSave.All(m => !string.IsNullOrWhiteSpace(m)), "Lora.ModulesToSave must not hold empty names.");
    }
}
