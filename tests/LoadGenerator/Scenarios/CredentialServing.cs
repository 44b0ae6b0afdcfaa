using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using CreditBank.Contracts.Credentials.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.LoadGenerator.Measures;
using Google.Protobuf;
using Grpc.Core;

namespace CreditBank.LoadGenerator.Scenarios;

/// <summary>What the credentials part measured: transcripts issued through the learner's RPC, and status list GETs (null: failed).</summary>
/// <param name="TranscriptBytes">The size of one transcript's VC-JWT as the RPC answered it.</param>
/// <param name="Transcripts">Transcripts issued back to back by a few callers: as many as the machine issues.</param>
/// <param name="OfferedTranscripts">Transcripts issued at a fixed rate: their latency at that load.</param>
public sealed record CredentialsResult(int Outcomes, int TranscriptBytes, ClosedLoopResult? Transcripts, OpenLoopResult? OfferedTranscripts,
    ClosedLoopResult? StatusList);

/// <summary>
/// Scenario 6: a learner with 100 banked outcomes issues their transcript (<c>IssueTranscript</c> with their own token,
/// as the portal calls it) from a few callers; then anyone GETs the public status list URL its credentials name, as
/// verifiers do, from many callers.
/// </summary>
public static class CredentialServing
{
    public const int Outcomes = 100;

    public const int TranscriptCallers = 4;

    /// <summary>
    /// A fixed rate of transcripts, under a third of what the fleet's two cores issue back to back (~300/s with
    /// <see cref="TranscriptCallers"/> callers): their latency away from saturation, where a closed loop's is mostly queueing.
    /// </summary>
    public const double TranscriptsPerSecond = 100;

    public const int StatusListCallers = 32;

    /// <summary>A demo learner (identity's seed): a person with a login bound to their document, as a verified learner is.</summary>
    public static readonly (string UserName, string Password, string DocumentNumber, string Name) Learner =
        ("lisi", "demo-learner-2", "510104199903150029", "李四");

    /// <summary>
    /// Submits the learner's <see cref="Outcomes"/> courses (recognised at once: a trusted institution), then waits until
    /// a transcript states all of them. The URL of the status list their credentials name, and the transcript's size.
    /// </summary>
    public static async Task<(string StatusListUrl, int TranscriptBytes)> BankAsync(InstitutionClient institution, CallInvoker learner, TimeSpan timeout)
    {
        var recognition = new RecognitionService.RecognitionServiceClient(institution.Recognition);
        for (var k = 0; k < Outcomes; k++)
        {
            var course = OutcomeLines.Course(LearnerRanges.Credentials, k);
            course.Title = $"压测成绩单课程 {k}";
            await recognition.SubmitOutcomeAsync(new SubmitOutcomeRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                InstitutionCode = institution.Code,
                Learner = new CreditBank.Contracts.Recognition.V1.Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = Learner.DocumentNumber, Name = Learner.Name },
                Course = course,
            });
        }

        var credentials = new CredentialsService.CredentialsServiceClient(learner);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var transcript = await credentials.IssueTranscriptAsync(new IssueTranscriptRequest());
                if (transcript.Credential.OutcomeIds.Count >= Outcomes)
                {
                    return (StatusListOf(transcript.Credential.Jwt), transcript.Credential.Jwt.Length);
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The credentials service did not hold the learner's {Outcomes} outcomes within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(500);
        }
    }

    /// <summary>Transcripts issued back to back; one that does not embed every outcome counts as failed.</summary>
    public static Task<ClosedLoopResult> TranscriptsAsync(CallInvoker learner, int callers, TimeSpan duration, TimeSpan warmUp) =>
        ClosedLoop.RunAsync(callers, duration, warmUp, _ => IssueTranscriptAsync(learner));

    /// <summary>Transcripts issued at <paramref name="perSecond"/> whatever the answers; one that does not embed every outcome counts as failed.</summary>
    public static Task<OpenLoopResult> OfferedTranscriptsAsync(CallInvoker learner, double perSecond, TimeSpan duration, TimeSpan warmUp) =>
        OpenLoop.RunAsync(perSecond, duration, warmUp, _ => IssueTranscriptAsync(learner));

    private static async Task IssueTranscriptAsync(CallInvoker learner)
    {
        var transcript = await learner.AsyncUnaryCall(TranscriptAnswer.IssueTranscript, null, default, new IssueTranscriptRequest());
        if (transcript.EmbeddedCredentials != Outcomes || transcript.CredentialBytes < Outcomes * 1024)
        {
            throw new RpcException(new Status(StatusCode.DataLoss,
                $"The transcript embeds {transcript.EmbeddedCredentials} credentials in {transcript.CredentialBytes} bytes, not {Outcomes}."));
        }
    }

    /// <summary>GETs of the status list URL, each read to its end, as a verifier without a cache sends them (no If-None-Match).</summary>
    public static Task<ClosedLoopResult> StatusListAsync(HttpClient http, string url, int callers, TimeSpan duration, TimeSpan warmUp) =>
        ClosedLoop.RunAsync(callers, duration, warmUp, async _ =>
        {
            using var response = await http.GetAsync(url);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        });

    /// <summary>An HTTP/1.1 client with a connection per caller, kept open, as a busy verifier holds them.</summary>
    public static HttpClient StatusListClient() =>
        new(new SocketsHttpHandler { PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan, UseCookies = false, AllowAutoRedirect = false });

    /// <summary>The <c>statusListCredential</c> of the transcript's first embedded credential.</summary>
    private static string StatusListOf(string transcriptJwt)
    {
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(transcriptJwt.Split('.')[1]));
        return payload.RootElement.GetProperty("credentialSubject").GetProperty("verifiableCredential")[0]
            .GetProperty("credentialStatus").GetProperty("statusListCredential").GetString()!;
    }
}

/// <summary>
/// An IssueTranscript answer as the load generator checks it: how many credentials the transcript embeds and how big its
/// credential is, read from the wire without decoding the ~715 KB VC-JWT into a .NET string. The load generator shares the
/// service's two cores: decoding every answer (UTF-8 to UTF-16, 1.4 MB a time) would be its CPU, not the service's,
/// counted in the service's latency.
/// </summary>
internal sealed record TranscriptAnswer(int EmbeddedCredentials, long CredentialBytes)
{
    public static readonly Method<IssueTranscriptRequest, TranscriptAnswer> IssueTranscript = new(MethodType.Unary,
        CredentialsService.Descriptor.FullName, "IssueTranscript",
        Marshallers.Create<IssueTranscriptRequest>(r => r.ToByteArray(), IssueTranscriptRequest.Parser.ParseFrom),
        new Marshaller<TranscriptAnswer>((_, _) => throw new NotSupportedException(), Read));

    /// <summary>The answer's top-level fields: 1 the credential (its length), 2 each embedded credential's id (counted).</summary>
    private static TranscriptAnswer Read(DeserializationContext context)
    {
        var reader = new SequenceReader<byte>(context.PayloadAsReadOnlySequence());
        var (embedded, credentialBytes) = (0, 0L);
        while (!reader.End)
        {
            var tag = Varint(ref reader);
            if ((tag & 7) != 2)
            {
                throw new InvalidDataException($"IssueTranscriptResponse has no field with tag {tag}.");
            }

            var length = Varint(ref reader);
            switch (tag >> 3)
            {
                case 1:
                    credentialBytes = (long)length;
                    break;
                case 2:
                    embedded++;
                    break;
            }

            reader.Advance((long)length);
        }

        return new TranscriptAnswer(embedded, credentialBytes);
    }

    private static ulong Varint(ref SequenceReader<byte> reader)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (!reader.TryRead(out var b))
            {
                break;
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A truncated varint in IssueTranscriptResponse.");
    }
}

