using System.Text.Json.Nodes;
using CreditBank.Contracts.Canonical;

namespace CreditBank.Credentials.Tests;

/// <summary>The canonicaliser of signed decisions and definition hashes, against the examples of RFC 8785.</summary>
public sealed class CanonicalJsonFollowsRfc8785
{
    [Fact]
    public void The_rfc_example_of_3_2_2_canonicalises_byte_for_byte()
    {
        var input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;

        Assert.Equal("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
            CanonicalJson.Serialize(JsonNode.Parse(input)));
    }

    [Fact]
    public void Members_are_sorted_by_their_utf16_code_units_as_in_3_2_3()
    {
        var input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;

        var keys = JsonNode.Parse(CanonicalJson.Serialize(JsonNode.Parse(input)))!.AsObject().Select(p => p.Key);

        Assert.Equal(["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"], keys);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(-1.5e-7, "-1.5e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(295147905179352830000.0, "295147905179352830000")]
    [InlineData(4.5, "4.5")]
    public void Numbers_are_written_as_ecmascript_writes_them(double value, string expected) =>
        Assert.Equal(expected, CanonicalJson.Number(value));

    [Fact]
    public void Numbers_held_as_integers_or_decimals_are_written_as_the_doubles_they_are()
    {
        var node = new JsonObject { ["int"] = 3, ["decimal"] = 2.50m, ["long"] = 7L, ["scaled"] = 4.0m };

        Assert.Equal("""{"decimal":2.5,"int":3,"long":7,"scaled":4}""", CanonicalJson.Serialize(node));
    }

    [Fact]
    public void Nested_structures_lose_their_whitespace_and_keep_array_order()
    {
        var node = JsonNode.Parse("""{ "b": [3, 1, {"z": 1, "a": "x"}], "a": {} }""");

        Assert.Equal("""{"a":{},"b":[3,1,{"a":"x","z":1}]}""", CanonicalJson.Serialize(node));
    }
}
