namespace Microsoft.ML.Kto.Data;

/// <summary>How a prompt or completion is written: TRL's "standard" or "conversational" dataset format.</summary>
public enum KtoContentKind
{
    /// <summary>Plain text (TRL's standard format).</summary>
    Text,

    /// <summary>A list of chat messages rendered later with the model's chat template (TRL's conversational format).</summary>
    Conversation,
}
