using System.Text.Json.Nodes;
using Microsoft.ML.Jinja;
using Microsoft.ML.Kto.Tokenization;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Kto.Tests.Tokenization;

[TestClass]
public sealed class ChatTemplateTests
{
    private const string EchoTemplate =
        "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}{{ eos_token }}" +
        "{% if add_generation_prompt %}<assistant>{% endif %}{{ tools is none }}{{ documents is none }}";

    private static JsonArray Conversation() =>
    [
        new JsonObject { ["role"] = "user", ["content"] = "hi" },
        new JsonObject { ["role"] = "assistant", ["content"] = "hello" },
    ];

    [TestMethod]
    public void PassesTransformersVariables()
    {
        var template = new ChatTemplate(EchoTemplate);

        var rendered = template.Render(Conversation(), addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>");

        Assert.AreEqual("<s><user>hi<assistant>hello</s><assistant>TrueTrue", rendered);
    }

    [TestMethod]
    public void MissingSpecialTokensAreUndefined()
    {
        var template = new ChatTemplate("{{ bos_token is defined }}{{ eos_token is defined }}");

        Assert.AreEqual("FalseFalse", template.Render(Conversation()));
    }

    [TestMethod]
    public void ExtraVariablesReachTheTemplateAndOverrideSpecialTokens()
    {
        var template = new ChatTemplate("{{ enable_thinking }} {{ eos_token }} {{ date_string }}");
        var extra = new Dictionary<string, JsonNode?>
        {
            ["enable_thinking"] = false,
            ["eos_token"] = "<override>",
            ["date_string"] = "26 Jul 2024",
        };

        Assert.AreEqual("False <override> 26 Jul 2024", template.Render(Conversation(), eosToken: "</s>", extraVariables: extra));
    }

    [TestMethod]
    public void ExtraVariablesCannotReplaceRenderParameters()
    {
        var template = new ChatTemplate("x");
        var extra = new Dictionary<string, JsonNode?> { ["messages"] = new JsonArray() };

        Assert.ThrowsException<ArgumentException>(() => template.Render(Conversation(), extraVariables: extra));
    }

    [TestMethod]
    public void RaiseExceptionCarriesTheTemplateMessage()
    {
        var template = new ChatTemplate(
            "{% for m in messages %}{% if (m.role == 'user') != (loop.index0 % 2 == 0) %}" +
            "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% endfor %}");
        JsonArray messages = [new JsonObject { ["role"] = "assistant", ["content"] = "first" }];

        var error = Assert.ThrowsException<TemplateException>(() => template.Render(messages));

        Assert.AreEqual("Conversation roles must alternate user/assistant/user/assistant/...", error.Message);
        Assert.IsNull(error.Line);
    }

    [TestMethod]
    public void SyntaxErrorReportsItsLine()
    {
        var error = Assert.ThrowsException<TemplateException>(() => new ChatTemplate("line one\n{% if x %}\nline three\n{{ 1 + }}"));

        Assert.AreEqual(4, error.Line);
        StringAssert.Contains(error.Message, "line 4");
    }

    [TestMethod]
    public void UnknownFilterFailsAtConstruction()
    {
        var error = Assert.ThrowsException<TemplateException>(() => new ChatTemplate("{{ messages | shout }}"));

        StringAssert.StartsWith(error.Message, "No filter named 'shout'.");
    }

    [TestMethod]
    public void CallingAnUndefinedFunctionFailsWithItsName()
    {
        var template = new ChatTemplate("{{ format_tools(tools) }}");

        var error = Assert.ThrowsException<TemplateException>(() => template.Render(Conversation()));

        Assert.AreEqual("'format_tools' is undefined", error.Message);
    }

    [TestMethod]
    public void GenerationTagRendersItsBody()
    {
        var template = new ChatTemplate("{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}[{{ m.content }}]{% endgeneration %}{% endif %}{% endfor %}");

        Assert.AreEqual("[hello]", template.Render(Conversation()));
    }

    [TestMethod]
    public void DateStringKwargPinsLlama31StyleHeader()
    {
        const string header =
            "{%- if not date_string is defined %}{%- if strftime_now is defined %}{%- set date_string = strftime_now('%d %b %Y') %}" +
            "{%- else %}{%- set date_string = '26 Jul 2024' %}{%- endif %}{%- endif %}Today Date: {{ date_string }}";
        var template = new ChatTemplate(header);

        var pinned = template.Render(Conversation(), extraVariables: new Dictionary<string, JsonNode?> { ["date_string"] = "01 Jan 2025" });
        var live = template.Render(Conversation());

        Assert.AreEqual("Today Date: 01 Jan 2025", pinned);
        StringAssert.StartsWith(live, "Today Date: ");
        Assert.IsTrue(DateTime.TryParseExact(live["Today Date: ".Length..], "dd MMM yyyy", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _), live);
    }

    [TestMethod]
    public void RendersConcurrentlyFromOneParsedTemplate()
    {
        var template = new ChatTemplate(EchoTemplate);
        var expected = template.Render(Conversation(), bosToken: "<s>");

        var results = Enumerable.Range(0, 64).AsParallel().Select(_ => template.Render(Conversation(), bosToken: "<s>")).ToList();

        Assert.IsTrue(results.All(r => r == expected));
    }
}
