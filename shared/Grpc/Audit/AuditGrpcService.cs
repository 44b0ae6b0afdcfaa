using CreditBank.Grpc.Security;
using CreditBank.Persistence.Audit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using V1 = CreditBank.Contracts.Operations.V1;

namespace CreditBank.Grpc.Audit;

/// <summary>A service whose database keeps <c>audit_entries</c>, by the name callers use for it (e.g. <c>identity</c>).</summary>
public sealed record AuditSource(string Service, Func<IServiceProvider, DbContext> Database);

public static class AuditExtensions
{
    /// <summary>Lets <see cref="MapAudit"/> list the audit entries of <typeparamref name="TDb"/> as <paramref name="service"/>.</summary>
    public static IHostApplicationBuilder AddAudit<TDb>(this IHostApplicationBuilder builder, string service)
        where TDb : DbContext
    {
        builder.Services.AddAuditMarker().AddSingleton(new AuditSource(service.ToLowerInvariant(), sp => sp.GetRequiredService<TDb>()));
        return builder;
    }

    /// <summary>
    /// creditbank.operations.v1.AuditService over every <see cref="AuditSource"/> of this process. Mapped once however many
    /// modules call it (the standalone host composes several).
    /// </summary>
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var marker = app.ServiceProvider.GetService<AuditMapped>();
        if (marker is null || marker.Done)
        {
            return app;
        }

        marker.Done = true;
        app.MapGrpcService<AuditGrpcService>();
        return app;
    }

    /// <summary>Registered with the first source; <see cref="MapAudit"/> maps the service once.</summary>
    internal sealed class AuditMapped
    {
        public bool Done { get; set; }
    }

    internal static IServiceCollection AddAuditMarker(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(AuditMapped)))
        {
            services.AddSingleton(new AuditMapped());
        }

        return services;
    }
}

/// <summary>creditbank.operations.v1.AuditService: administrators read what administrators changed, newest first.</summary>
internal sealed class AuditGrpcService(IEnumerable<AuditSource> sources, IServiceProvider services) : V1.AuditService.AuditServiceBase
{
    [Authorize(Policy = Scopes.Admin)]
    public override async Task<V1.ListAuditEntriesResponse> ListAuditEntries(V1.ListAuditEntriesRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var all = sources.ToList();
        var source = request.Service.Length == 0 && all.Count == 1
            ? all[0]
            : all.FirstOrDefault(s => s.Service == request.Service.ToLowerInvariant());
        if (source is null)
        {
            violations.Add("service", $"Name the service whose audit entries to list: {string.Join(", ", all.Select(s => s.Service))}.",
                "UNKNOWN_AUDIT_SERVICE");
        }

        var target = violations.Text("target", request.Target, AuditLog.MaxTargetLength, "The target", required: false);
        DateTimeOffset? start = request.StartTime is null ? null : request.StartTime.ToDateTimeOffset();
        DateTimeOffset? end = request.EndTime is null ? null : request.EndTime.ToDateTimeOffset();
        if (start is not null && end is not null && end <= start)
        {
            violations.Add("end_time", "end_time must be after start_time.", "INVALID_TIME_RANGE");
        }

        var size = PageToken.Size(request.PageSize);
        violations.ThrowIfAny("The audit entries were not listed");
        var scope = $"audit|{source!.Service}|{target}|{start?.UtcTicks}|{end?.UtcTicks}";
        var after = PageToken.Decode(request.PageToken, scope);

        var db = source.Database(services);
        var query = db.Set<AuditEntry>().AsNoTracking();
        if (after > 0)
        {
            query = query.Where(e => e.Sequence < after);
        }

        if (target.Length > 0)
        {
            query = query.Where(e => e.Target == target);
        }

        if (start is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (end is { } to)
        {
            query = query.Where(e => e.At < to);
        }

        var page = await query.OrderByDescending(e => e.Sequence).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new V1.ListAuditEntriesResponse
        {
            Entries =
            {
                page.Take(size).Select(e => new V1.AuditEntry
                {
                    Sequence = e.Sequence,
                    Time = Timestamp.FromDateTimeOffset(e.At),
                    Actor = e.Actor,
                    Action = e.Action,
                    Target = e.Target,
                    BeforeJson = e.Before ?? string.Empty,
                    AfterJson = e.After ?? string.Empty,
                }),
            },
        };
        if (page.Count > size)
        {
            response.NextPageToken = PageToken.Encode(scope, page[size - 1].Sequence);
        }

        return response;
    }
}
