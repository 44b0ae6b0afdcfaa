using System.Buffers.Text;
using System.IO.Compression;
using System.Numerics;
using System.Security.Cryptography;

namespace CreditBank.Credentials.Domain;

/// <summary>
/// A W3C Bitstring Status List's bits: index 0 is the leftmost (most significant) bit of the first byte. The bank keeps
/// two per list: which indexes are taken, and which are set (revoked).
/// </summary>
public static class StatusBits
{
    public static byte[] Empty(int size) => new byte[size / 8];

    public static bool Get(ReadOnlySpan<byte> bits, int index) => (bits[index >> 3] & (0x80 >> (index & 7))) != 0;

    /// <summary>A copy with the bit at <paramref name="index"/> set (a new array, so that change tracking sees it).</summary>
    public static byte[] With(byte[] bits, int index)
    {
        var copy = (byte[])bits.Clone();
        copy[index >> 3] |= (byte)(0x80 >> (index & 7));
        return copy;
    }

    public static int Count(ReadOnlySpan<byte> bits)
    {
        var count = 0;
        foreach (var b in bits)
        {
            count += BitOperations.PopCount(b);
        }

        return count;
    }

    /// <summary>
    /// An index chosen uniformly at random among those not taken in <paramref name="used"/>, or -1 when every one is.
    /// Random, not sequential, so that an index says nothing about when or to whom a credential was issued.
    /// </summary>
    public static int PickUnused(ReadOnlySpan<byte> used, int size)
    {
        var free = size - Count(used);
        if (free <= 0)
        {
            return -1;
        }

        var target = RandomNumberGenerator.GetInt32(free);
        for (var i = 0; i < used.Length; i++)
        {
            var freeHere = 8 - BitOperations.PopCount(used[i]);
            if (target >= freeHere)
            {
                target -= freeHere;
                continue;
            }

            for (var bit = 0; bit < 8; bit++)
            {
                if ((used[i] & (0x80 >> bit)) == 0 && target-- == 0)
                {
                    return i * 8 + bit;
                }
            }
        }

        return -1;
    }

    /// <summary>The list's <c>encodedList</c>: multibase <c>u</c> + base64url (no padding) of the GZIP of the bits.</summary>
    public static string Encode(ReadOnlySpan<byte> bits)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bits);
        }

        return "u" + Base64Url.EncodeToString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>The bits of an <c>encodedList</c> (for the bank's own verifier and its tests).</summary>
    public static byte[] Decode(string encodedList)
    {
        if (!encodedList.StartsWith('u'))
        {
            throw new FormatException("An encodedList starts with the multibase prefix u (base64url).");
        }

        using var gzip = new GZipStream(new MemoryStream(Base64Url.DecodeFromChars(encodedList.AsSpan(1))), CompressionMode.Decompress);
        using var bits = new MemoryStream();
        gzip.CopyTo(bits);
        return bits.ToArray();
    }
}
