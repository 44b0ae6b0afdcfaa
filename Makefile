# CreditBank — the two commands a newcomer needs are `make run` and `make test` (see README.md).
.PHONY: run test bench drill build infra-up infra-down clean images k8s-smoke

DATA ?= $(CURDIR)/data

## make run: the whole bank in one process on the embedded default (SQLite, in-memory bus, no Redis), demo data loaded.
run:
	dotnet run --project services/Standalone -- --DataFolder="$(DATA)"

## make test: every test, including those against real RabbitMQ, PostgreSQL and Redis (started and stopped here).
test:
	bash scripts/test.sh

## make bench: the pipeline, reads and hot paths against raw baselines in one run; writes docs/benchmarks.md (~15 min).
## SIZE=quick tries the whole harness in a few minutes.
bench:
	bash scripts/bench.sh

## make drill: every part killed in turn under load (services, RabbitMQ, Redis, PostgreSQL), then a 3-node RabbitMQ
## cluster losing a node mid-batch; each audited by outcome id; writes docs/reliability.md (~30 min). SIZE=quick: minutes.
drill:
	bash scripts/drill.sh

build:
	dotnet build CreditBank.sln

## make images: one OCI image per service without Docker (mmdebstrap + buildah): localhost/creditbank/<service>:<commit>.
images:
	bash scripts/images.sh

## make k8s-smoke: builds the images, plays k8s/overlays/local under podman against real stores, runs the main story,
## tears it all down (~5 min). See docs/operations.md.
k8s-smoke:
	bash scripts/k8s-smoke.sh

## Throwaway RabbitMQ, PostgreSQL and Redis for working on the integration tests by hand.
infra-up:
	bash scripts/infra.sh up

infra-down:
	bash scripts/infra.sh down

clean:
	rm -rf "$(DATA)"
	dotnet clean CreditBank.sln
