using Microsoft.Extensions.AI;

namespace Microsoft.ML.Kto.Chat;

/// <summary>Exposes fitted models to Microsoft.Extensions.AI.</summary>
public static class KtoChatClientExtensions
{
    /// <summary>
    /// The model as an <see cref="IChatClient"/> (wrap it with <c>new ChatClientBuilder(client)…Build()</c> for
    /// middleware). The transformer stays owned by the caller.
    /// </summary>
    public static IChatClient AsIChatClient(this KtoTransformer transformer) => new KtoChatClient(transformer);
}
