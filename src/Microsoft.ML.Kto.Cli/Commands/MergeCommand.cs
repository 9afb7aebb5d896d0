using System.CommandLine;
using Microsoft.ML.Kto.Models;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Commands;
/// <summary><c>kto merge</c>: folds a PEFT LoRA adapter into its base model (PEFT's merge_and_unload) and writes a plain model directory.</summary>
internal static class MergeCommand
{
    public static CliCommand Create()
    {
        var model = CommonOptions.Directory("--model", "Base model directory (config.json, *.safetensors, tokenizer files).");
        var adapter = CommonOptions.Directory("--adapter", "PEFT LoRA adapter directory (adapter_config.json, adapter_model.safetensors), e.g. the output of kto train --lora.");
        var output = CommonOptions.Directory("--output-dir", "Where the merged Hugging Face model goes (config.json, model.safetensors, tokenizer files).");
        var dtype = new Option<string?>("--dtype") { Description = "float32, bfloat16 or float16 (default: the base model's torch_dtype)." };
        var command = new CliCommand("merge", "Folds a LoRA adapter into its base model (W += B·A·scaling) and writes a plain Hugging Face model directory.")
            { model, adapter, output, dtype };
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            var baseDirectory = result.GetValue(model)!;
            var weights = result.GetValue(dtype) ?? ModelConfig.Load(baseDirectory).TorchDType.ToHuggingFaceName();
            using var merged = KtoTransformer.LoadWithAdapter(baseDirectory, result.GetValue(adapter)!, dtype: weights);
            merged.Model.Lora!.MergeAndUnload();
            merged.Save(result.GetValue(output)!);
            Console.WriteLine($"merged model written to {result.GetValue(output)}");
            return 0;
        }));
        return command;
    }
}
