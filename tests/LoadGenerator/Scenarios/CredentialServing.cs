using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using CreditBank.Contracts.Credentials.V1;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.LoadGenerator.Measures;
using Google.Protobuf;
using Grpc.Core;

namespace CreditBank.LoadGenerator.Scenarios;

/// <summary>What the credentials part measured: transcripts issued through the learner's RPCs, and status list GETs (null: failed).</summary>
/// <param name="TranscriptBytes">The size of one transcript's VC-JWT as the RPC answered it.</param>
/// <param name="Transcripts">Transcripts issued as their .jwt file back to back by a few callers: as many as the machine issues.</param>
/// <param name="TranscriptAnswers">The same through <c>IssueTranscript</c>, the VC-JWT in its answer as a proto string.</param>
/// <param name="OfferedTranscripts">Transcripts issued as their .jwt file at a fixed rate: their latency at that load.</param>
public sealed record CredentialsResult(int Outcomes, int TranscriptBytes, ClosedLoopResult? Transcripts, ClosedLoopResult? TranscriptAnswers,
    OpenLoopResult? OfferedTranscripts, ClosedLoopResult? StatusList);

/// <summary>
/// Scenario 6: a learner with 100 banked outcomes issues their transcript with their own token from a few callers — as
/// the .jwt file (<c>IssueTranscriptFile</c>), then in <c>IssueTranscript</c>'s answer; then anyone GETs the public status list URL its credentials name, as
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

    /// <summary>Transcripts issued as their .jwt file back to back; one not of the transcript's size counts as failed.</summary>
    public static Task<ClosedLoopResult> TranscriptFilesAsync(CallInvoker learner, int transcriptBytes, int callers, TimeSpan duration, TimeSpan warmUp) =>
        ClosedLoop.RunAsync(callers, duration, warmUp, _ => IssueTranscriptFileAsync(learner, transcriptBytes));

    /// <summary>Transcripts issued as their .jwt file at <paramref name="perSecond"/> whatever the answers.</summary>
    public static Task<OpenLoopResult> OfferedTranscriptFilesAsync(CallInvoker learner, int transcriptBytes, double perSecond, TimeSpan duration, TimeSpan warmUp) =>
        OpenLoop.RunAsync(perSecond, duration, warmUp, _ => IssueTranscriptFileAsync(learner, transcriptBytes));

    /// <summary>Transcripts issued through <c>IssueTranscript</c> back to back; one that does not embed every outcome counts as failed.</summary>
    public static Task<ClosedLoopResult> TranscriptAnswersAsync(CallInvoker learner, int callers, TimeSpan duration, TimeSpan warmUp) =>
        ClosedLoop.RunAsync(callers, duration, warmUp, async _ =>
        {
            var answer = await learner.AsyncUnaryCall(WireAnswer.IssueTranscript, null, default, new IssueTranscriptRequest());
            if (answer.Count(2) != Outcomes || answer.Bytes(1) < Outcomes * 1024)
            {
                throw new RpcException(new Status(StatusCode.DataLoss,
                    $"The transcript embeds {answer.Count(2)} credentials in {answer.Bytes(1)} bytes, not {Outcomes}."));
            }
        });

    /// <summary>
    /// A transcript as its .jwt file (<c>HttpBody</c>: 1 its content type, 2 its bytes): the whole VC-JWT, as long as the
    /// one the part started from (the same learner's, a new id and time of the same lengths), within 1%.
    /// </summary>
    private static async Task IssueTranscriptFileAsync(CallInvoker learner, int transcriptBytes)
    {
        var answer = await learner.AsyncUnaryCall(WireAnswer.IssueTranscriptFile, null, default, new IssueTranscriptRequest());
        if (Math.Abs(answer.Bytes(2) - transcriptBytes) > transcriptBytes / 100)
        {
            throw new RpcException(new Status(StatusCode.DataLoss, $"The transcript file is {answer.Bytes(2)} bytes, not about {transcriptBytes}."));
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
/// A transcript's answer as the load generator checks it, read from the wire: per top-level field, how many times it came
/// and how many bytes it held — without decoding the ~715 KB VC-JWT into a .NET string. The load generator shares the
/// service's two cores: decoding every answer (UTF-8 to UTF-16, 1.4 MB a time) would be its CPU, not the service's,
/// counted in the service's latency.
/// </summary>
internal sealed class WireAnswer
{
    public static readonly Method<IssueTranscriptRequest, WireAnswer> IssueTranscript = Of("IssueTranscript");

    public static readonly Method<IssueTranscriptRequest, WireAnswer> IssueTranscriptFile = Of("IssueTranscriptFile");

    private readonly Dictionary<int, (int Count, long Bytes)> _fields = [];

    public int Count(int field) => _fields.GetValueOrDefault(field).Count;

    public long Bytes(int field) => _fields.GetValueOrDefault(field).Bytes;

    private static Method<IssueTranscriptRequest, WireAnswer> Of(string name) => new(MethodType.Unary, CredentialsService.Descriptor.FullName, name,
        Marshallers.Create(r => r.ToByteArray(), IssueTranscriptRequest.Parser.ParseFrom),
        new Marshaller<WireAnswer>((_, _) => throw new NotSupportedException(), Read));

    /// <summary>Each top-level field: its tag, and its length (every field of these answers is length-delimited).</summary>
    private static WireAnswer Read(DeserializationContext context)
    {
        var reader = new SequenceReader<byte>(context.PayloadAsReadOnlySequence());
        var answer = new WireAnswer();
        while (!reader.End)
        {
            var tag = Varint(ref reader);
            if ((tag & 7) != 2)
            {
                throw new InvalidDataException($"The answer has a field with tag {tag}, not length-delimited.");
            }

            var length = (long)Varint(ref reader);
            var (count, bytes) = answer._fields.GetValueOrDefault((int)(tag >> 3));
            answer._fields[(int)(tag >> 3)] = (count + 1, bytes + length);
            reader.Advance(length);
        }

        return answer;
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

        throw new InvalidDataException("A truncated varint in the answer.");
    }
}

