# catvsnoncat: common tasks. Every target works on a machine with JDK 17, Maven and make;
# bench also needs python3 with numpy (for the reference peer).
SHELL := /bin/bash
MVN ?= mvn -B
JAR := target/catvsnoncat.jar
DATA ?= ../shared/datasets/catvnoncat
PEER ?= ../shared/peers/numpy_l_layer.py
PORT ?= 8080
# The feature extractor's fast kernels use the incubating Vector API, which only this flag enables (a jar's manifest
# cannot): without it the same features come from the scalar kernels, several times slower. The JVM then prints
# "WARNING: Using incubator modules: jdk.incubator.vector" on stderr at start.
JAVA := java --add-modules jdk.incubator.vector

.PHONY: help jar run test model pixel-model bench bench-jmh bench-train clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

jar: ## Build target/catvsnoncat.jar (tests skipped)
	$(MVN) -q package -DskipTests

run: jar ## Serve the page and API with the embedded model on http://localhost:$(PORT)
	$(JAVA) -jar $(JAR) serve --port $(PORT)

test: ## Run all tests (as CI does)
	$(MVN) verify -Ddataset.dir=$(abspath $(DATA))

# The default model: the setting `make crossvalidate-features` picks (stratified 5-fold cross-validation on the
# training set only, the one-standard-error rule; see README); trained on the whole training set; the test set is
# only reported.
MODEL_SETTINGS := --features mobilenetv2 --input-size 96 --layers 96,16,1 --learning-rate 0.1 --l2 50 \
  --iterations 250 --mirror --seed 1
MODEL_NOTE := A 96-16-1 network on MobileNetV2 features (ImageNet layers up to block_10_project_BN) of the picture upscaled to 96x96. Chosen by stratified 5-fold cross-validation on the training set over input size, L2 and head with the one-standard-error rule: the smallest input whose mean balanced accuracy is within one standard error of the best (best 0.936 +- 0.014 at 128x128; this one 0.929, accuracy 0.937, against 0.636 for the best pixel network); the test set was not used to choose.
model: jar ## Retrain the default model shipped in the jar (src/main/resources/model/default.npz)
	$(JAVA) -jar $(JAR) train --data $(DATA)/train_catvnoncat.h5 --test $(DATA)/test_catvnoncat.h5 \
	  $(MODEL_SETTINGS) --name catvnoncat --description "$(MODEL_NOTE)" --no-progress \
	  --output src/main/resources/model/default.npz
	$(MVN) -q package -DskipTests

# The second bundled model (catvnoncat-pixels in the default repository): the reference run on the pixels.
PIXEL_MODEL_NOTE := The reference run (12288,20,7,5,1, learning rate 0.0075, 2500 iterations, seed 1) on the pixels: the network of the original project, served beside the default as a second model.
pixel-model: jar ## Retrain the reference pixel model shipped in the jar (src/main/resources/model/pixels.npz)
	java -jar $(JAR) train --data $(DATA)/train_catvnoncat.h5 --test $(DATA)/test_catvnoncat.h5 \
	  --name catvnoncat-pixels --model-version 1 --description "$(PIXEL_MODEL_NOTE)" --no-progress \
	  --output src/main/resources/model/pixels.npz
	$(MVN) -q package -DskipTests

bench: bench-jmh bench-train ## Kernel microbenchmarks, then training time beside the numpy peer

bench-jmh: jar
	$(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	java -cp target/test-classes:target/classes:$$(cat target/test.classpath) org.openjdk.jmh.Main \
	  -rf text -rff target/jmh.txt 'com.catvsnoncat.bench.KernelBenchmark'

# The classifier's classify call on the event bus as a raw JsonObject request and through a Vert.x service proxy with
# typed messages, in the same JMH run (the decision it informed: the classifier's package-info.java).
.PHONY: bench-contracts
bench-contracts: ## JMH: a raw JsonObject event-bus request beside the same call through a generated service proxy
	$(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	java -cp target/test-classes:target/classes:$$(cat target/test.classpath) org.openjdk.jmh.Main \
	  -rf text -rff target/jmh-contracts.txt 'com.catvsnoncat.bench.EventBusContractBenchmark'

bench-train: jar
	$(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	java -cp target/test-classes:target/classes:$$(cat target/test.classpath) \
	  com.catvsnoncat.bench.TrainingBenchmark $(JAR) $(PEER) $(DATA) $${ROUNDS:-3}

# The same reference training with this jar and OTHER_JAR (e.g. a copy of main's), alternating, no numpy: CPU time
# and wall time medians of each, to judge a change on a shared machine. TRAIN_CHRT=N (root only) runs both under
# `chrt -f N`, so the others' load does not stretch the wall times. OTHER_JVM='<options>' gives the other run JVM
# options, e.g. OTHER_JAR=$(JAR) OTHER_JVM='-XX:SharedArchiveFile=target/train.jsa' (see docs/serving-speed.md).
.PHONY: bench-train-ab
bench-train-ab: jar ## Reference training, this jar against OTHER_JAR=<jar>, ROUNDS alternating rounds (default 6)
	@test -n "$(OTHER_JAR)" || { echo "OTHER_JAR=<jar> is required"; exit 2; }
	$(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	java -cp target/test-classes:target/classes:$$(cat target/test.classpath) \
	  com.catvsnoncat.bench.TrainingBenchmark $(JAR) $(OTHER_JAR) $(DATA) $${ROUNDS:-6}

# AppCDS (docs/serving-speed.md): the classes a start loads, parsed and verified once and mapped from the archive
# on later starts of the same jar with the same JVM. Recorded from a real start with the production configuration,
# one page load and one classification; stale (and ignored with a warning) once the jar is rebuilt.
CDS := target/catvsnoncat.jsa
CDS_PORT ?= 18089
.PHONY: cds
cds: jar ## Record an AppCDS archive (target/catvsnoncat.jsa); start with java -XX:SharedArchiveFile=target/catvsnoncat.jsa -jar ...
	@rm -f $(CDS)
	@$(JAVA) -XX:ArchiveClassesAtExit=$(CDS) -Dcatvsnoncat.http.host=127.0.0.1 -jar $(JAR) serve --port $(CDS_PORT) \
	    --config k8s/base/config.json > target/cds-recording.log 2>&1 & pid=$$!; \
	  until curl -sf -o /dev/null http://127.0.0.1:$(CDS_PORT)/health/ready; do \
	    kill -0 $$pid 2>/dev/null || { cat target/cds-recording.log; exit 1; }; sleep 0.1; done; \
	  curl -sf -o /dev/null http://127.0.0.1:$(CDS_PORT)/ && \
	  curl -sf -o /dev/null -H 'Content-Type: image/png' --data-binary @src/main/resources/model/default.png \
	    http://127.0.0.1:$(CDS_PORT)/api/classify; \
	  kill $$pid; wait $$pid; ls -l $(CDS)

# A serve start as the image makes it, without a container runtime (docs/serving-speed.md): START_ROUNDS starts,
# alternating with OTHER_JAR's when given (e.g. a jar of main), so both see the same machine load.
.PHONY: bench-start
bench-start: jar ## Start to ready with the image's JVM flags and configuration, as a plain process (no AppCDS)
	bash tools/start-to-ready.sh $(JAR) $${START_ROUNDS:-5} $(OTHER_JAR)

# The same starts alternating with a bare Vert.x HTTP server's (bench.VertxStartFloor) from the same jar and flags:
# what Vert.x alone takes to answer on this machine, the floor under the service's start to ready.
.PHONY: bench-start-floor
bench-start-floor: jar ## bench-start beside a bare Vert.x HTTP server's start with the same jar and JVM flags
	$(MVN) -q test-compile
	FLOOR=1 bash tools/start-to-ready.sh $(JAR) $${START_ROUNDS:-5} $(OTHER_JAR)

# Serving speed (docs/serving-speed.md): the jar as its own process, loaded over loopback; about 4 minutes a round.
# More options in SERVE_ARGS, e.g. SERVE_ARGS='--duration 5 --only url --set classifier.workers=3'.
.PHONY: bench-serve
bench-serve: jar cds ## Requests/s, latency percentiles, CPU and memory of the running service, per scenario; BASE=other.jar alternates with it
	$(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	java -cp target/test-classes:target/classes:$$(cat target/test.classpath) \
	  com.catvsnoncat.bench.ServeBenchmark $(JAR) $(DATA) --rounds $${ROUNDS:-3} --cds $(CDS) \
	  $(if $(BASE),--base $(BASE)) $(SERVE_ARGS)

clean:
	$(MVN) -q clean

# ---- Container image and Kubernetes (docs/deployment.md) ----
# The image is built by jib from the compiled classes: no Dockerfile, and no Docker daemon for image-tar and push.
IMAGE ?= catvsnoncat
TAG ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
JIB = $(MVN) -q compile -Dimage=$(1) -Dgit.revision=$$(git rev-parse HEAD 2>/dev/null || echo unknown) \
  -Dimage.source=$$(git remote get-url origin 2>/dev/null || echo unknown)
# A terraform output of terraform/, empty when there is none yet (terraform prints a warning instead).
TF_OUTPUT = $(shell terraform -chdir=terraform output -json 2>/dev/null \
  | python3 -c 'import json,sys; print(json.load(sys.stdin).get("$(1)", {}).get("value", ""))' 2>/dev/null)
# Where make push and make deploy-eks take the image, the model and the IAM role from: terraform's outputs unless
# given on the command line.
REGISTRY_IMAGE ?= $(call TF_OUTPUT,ecr_repository_url)
MODEL_URI ?= $(call TF_OUTPUT,model_uri)
MODEL_ROLE_ARN ?= $(call TF_OUTPUT,model_reader_role_arn)
DEPLOY_DIR := target/deploy

.PHONY: image image-tar push render deploy-minikube deploy-eks

image: ## Build $(IMAGE):$(TAG) into the local Docker daemon (minikube: eval $$(minikube docker-env) first)
	$(call JIB,$(IMAGE):$(TAG)) jib:dockerBuild

image-tar: ## Write the image to target/jib-image.tar, no Docker daemon needed
	$(call JIB,$(IMAGE):$(TAG)) jib:buildTar

push: ## Push the image to $(REGISTRY_IMAGE):$(TAG) (ECR: log in with aws ecr get-login-password first)
	@test -n "$(REGISTRY_IMAGE)" || { echo "REGISTRY_IMAGE is not set and terraform/ has no ecr_repository_url output" >&2; exit 1; }
	$(call JIB,$(REGISTRY_IMAGE):$(TAG)) jib:build

# The image run for real (podman, as the pod runs it); tools/image-smoke.sh says what it needs and checks.
.PHONY: image-smoke
image-smoke: ## Build the image and run it in podman as the pod runs it: start to ready, RSS, exit code on SIGTERM
	bash tools/image-smoke.sh

render: ## Render both overlays into target/k8s/ (what kubectl apply -k would send)
	@mkdir -p target/k8s
	kubectl kustomize k8s/overlays/minikube > target/k8s/minikube.yaml
	kubectl kustomize k8s/overlays/eks > target/k8s/eks.yaml

# The overlays are applied through a kustomization in target/ that adds this build's values on top.
deploy-minikube: ## Apply the minikube overlay with the image tag just built by make image
	@mkdir -p $(DEPLOY_DIR)/minikube
	@printf '%s\n' 'apiVersion: kustomize.config.k8s.io/v1beta1' 'kind: Kustomization' \
	  'resources: [../../../k8s/overlays/minikube]' \
	  'images: [{name: catvsnoncat, newTag: "$(TAG)"}]' > $(DEPLOY_DIR)/minikube/kustomization.yaml
	kubectl apply -k $(DEPLOY_DIR)/minikube
	kubectl -n catvsnoncat rollout status deployment/catvsnoncat --timeout=180s

deploy-eks: ## Apply the eks overlay with the pushed image and terraform's model bucket and IAM role
	@for v in REGISTRY_IMAGE='$(REGISTRY_IMAGE)' MODEL_URI='$(MODEL_URI)' MODEL_ROLE_ARN='$(MODEL_ROLE_ARN)'; do \
	  test -n "$${v#*=}" || { echo "$${v%%=*} is not set and terraform/ has no output for it" >&2; exit 1; }; done
	@mkdir -p $(DEPLOY_DIR)/eks
	@printf '%s\n' 'apiVersion: kustomize.config.k8s.io/v1beta1' 'kind: Kustomization' 'namespace: catvsnoncat' \
	  'resources: [../../../k8s/overlays/eks]' \
	  'configMapGenerator: [{name: model-source, behavior: replace, literals: ["MODEL_URI=$(MODEL_URI)"]}]' \
	  'patches:' \
	  '  - patch: |-' \
	  '      {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "catvsnoncat"},' \
	  '       "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "$(REGISTRY_IMAGE):$(TAG)"}]}}}}' \
	  '  - patch: |-' \
	  '      {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "catvsnoncat",' \
	  '       "annotations": {"eks.amazonaws.com/role-arn": "$(MODEL_ROLE_ARN)"}}}' \
	  > $(DEPLOY_DIR)/eks/kustomization.yaml
	kubectl apply -k $(DEPLOY_DIR)/eks
	kubectl -n catvsnoncat rollout status deployment/catvsnoncat --timeout=300s

# ---- Reliability (README, section Reliability) ----
# The hardening tests of mvn verify, run longer: more load, a longer stream before SIGTERM, more malformed pictures,
# ten times the hostile requests per class from a new seed (printed, so a failure can be replayed with HOSTILE_SEED).
SOAK_TESTS := AttackUrlTest,ImageFetcherTest,MalformedImagesDecodeTest,MalformedUploadsTest,OverloadTest,SigtermUnderLoadTest,IdleConnectionsTest,WeatherVerticleTest,HostileRequestsProcessTest
.PHONY: soak
soak: ## Run the reliability tests longer (about 10 minutes) and print their figures
	$(MVN) test -Dtest='$(SOAK_TESTS)' -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dcatvsnoncat.load.requests=$${LOAD_REQUESTS:-200000} -Dcatvsnoncat.sigterm.loadMs=$${SIGTERM_LOAD_MS:-30000} \
	  -Dcatvsnoncat.malformed.seeds=$${MALFORMED_SEEDS:-10} \
	  -Dcatvsnoncat.hostile.cases=$${HOSTILE_CASES:-500} -Dcatvsnoncat.hostile.seed=$${HOSTILE_SEED:-$$RANDOM}

# ---- The MobileNetV2 feature extractor (README, section "The feature extractor") ----
# Fetches the pinned nsfwjs tarball with npm, checks its SHA-256 and extracts the layers up to block_10_project_BN
# into the committed npz; the result must not change (git diff shows it if it did).
BACKBONE := src/main/resources/backbone/mobilenetv2-block10.npz
NSFWJS_SHA256 := 4496790efc9bdc6f3e85a826a8e482c1fa1e9db4b3d18c095e98cc0c73cfb12f
.PHONY: backbone
backbone: ## Re-extract the MobileNetV2 weights from npm nsfwjs 4.3.0 (needs node and npm)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent nsfwjs@4.3.0 >/dev/null) && \
	  echo "$(NSFWJS_SHA256)  $$tmp/nsfwjs-4.3.0.tgz" | sha256sum -c - && \
	  tar xzf "$$tmp/nsfwjs-4.3.0.tgz" -C "$$tmp" package/dist/models/mobilenet_v2 && \
	  node tools/backbone/extract.cjs "$$tmp/package" $(BACKBONE) && sha256sum $(BACKBONE)

# Stratified 5-fold cross-validation on the training set only, over the feature model's input size, L2 and head;
# each line ends with the best evaluation point of that setting (balanced accuracy decides, as in crossvalidate),
# its standard error and its five folds. Then the one-standard-error rule picks the setting: of those whose mean is
# within one standard error of the best mean, the cheapest to serve (the smallest input: the extractor's work grows
# with its square), then the best mean, then the smaller head, then the larger L2.
CV_SIZES ?= 64 96 128
CV_L2 ?= 1 10 50
CV_HEADS ?= 96,1 96,16,1
CV_TRAINING := --lr 0.1 --iterations 1000 --evaluate-every 250 --mirror --seed 1
CV_OUT := target/crossvalidate-features.txt
.PHONY: crossvalidate-features
crossvalidate-features: jar ## Cross-validate the MobileNetV2 feature model's settings, pick one by the one-SE rule
	@for size in $(CV_SIZES); do for l2 in $(CV_L2); do for head in $(CV_HEADS); do \
	  printf 'input %-3s l2 %-3s layers %-9s ' $$size $$l2 $$head; \
	  $(JAVA) -jar $(JAR) crossvalidate --data $(DATA)/train_catvnoncat.h5 --features mobilenetv2 --input-size $$size \
	    --layers $$head --l2 $$l2 $(CV_TRAINING) 2> >(grep -v 'incubator modules' >&2) | tail -1; \
	done; done; done | tee $(CV_OUT)
	@awk '{ match($$0, /mean balanced accuracy [0-9.]+ \(se [0-9.]+/); split(substr($$0, RSTART, RLENGTH), f, " "); \
	    n++; size[n] = $$2; l2[n] = $$4; head[n] = $$6; mean[n] = f[4]; se[n] = f[6]; \
	    if (mean[n] > mean[b]) b = n } \
	  END { limit = mean[b] - se[b]; \
	    printf "best mean %.4f (input %s, l2 %s, layers %s), standard error %.4f: settings at or above %.4f qualify\n", \
	      mean[b], size[b], l2[b], head[b], se[b], limit; \
	    for (i = 1; i <= n; i++) if (mean[i] >= limit && (c == 0 || size[i] < size[c] || (size[i] == size[c] && \
	        (mean[i] > mean[c] || (mean[i] == mean[c] && (length(head[i]) < length(head[c]) || \
	        (head[i] == head[c] && l2[i] + 0 > l2[c] + 0))))))) c = i; \
	    printf "one-standard-error choice: input %s, l2 %s, layers %s (mean balanced accuracy %.4f)\n", \
	      size[c], l2[c], head[c], mean[c] }' $(CV_OUT)

# The extractor's speed beside onnxruntime on the same layers (../shared/peers/onnx), in one run: onnxruntime
# first and last at each input size (one thread, batch 1; two threads, batch 32), JMH in between.
# ORT_PYTHON is a python with onnxruntime, onnx and numpy (see that folder's README).
ONNX_PEER ?= ../shared/peers/onnx
ORT_PYTHON ?= python3
.PHONY: bench-features
bench-features: jar ## JMH of the MobileNetV2 extractor beside onnxruntime's time for the same layers
	$(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	@ort() { for size in 64 96 128; do env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(ORT_PYTHON) \
	    $(ONNX_PEER)/time_backbone.py --size $$size --threads 1 --batch 1; \
	  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(ORT_PYTHON) $(ONNX_PEER)/time_backbone.py --size $$size \
	    --threads 2 --batch 32; done; }; \
	  echo "onnxruntime before:"; ort; uptime; \
	  java -cp target/test-classes:target/classes:$$(cat target/test.classpath) org.openjdk.jmh.Main \
	    -rf text -rff target/jmh-features.txt 'com.catvsnoncat.bench.FeatureBenchmark'; \
	  echo "the scalar kernels (no --add-modules jdk.incubator.vector), 64x64:"; \
	  java -cp target/test-classes:target/classes:$$(cat target/test.classpath) org.openjdk.jmh.Main \
	    -jvmArgs -Xmx512m -p inputSize=64 -rf text -rff target/jmh-features-scalar.txt \
	    'com.catvsnoncat.bench.FeatureBenchmark.onePictureOneThread'; \
	  echo "onnxruntime after:"; ort; uptime

# REST beside gRPC for one single-picture inference (pixel model, batching off): server and load-generator CPU time
# per request apart. BASE=other.jar runs a server of it too and alternates rounds with it; GRPC_ARGS for more options,
# e.g. GRPC_ARGS='--connections 8 --port 19400'.
.PHONY: bench-grpc
bench-grpc: jar ## CPU ms per request of REST and gRPC inference, server and client apart; BASE=other.jar alternates with it
	$(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	java -cp target/test-classes:target/classes:$$(cat target/test.classpath) \
	  com.catvsnoncat.bench.ProtocolCostBenchmark $(JAR) $(DATA) --rounds $${ROUNDS:-3} \
	  $(if $(BASE),--base $(BASE)) $(GRPC_ARGS)

.PHONY: bench-classify-cpu
bench-classify-cpu: jar ## CPU time of the picture work of one classification by URL, per stage; BASE=other.jar alternates with it
	$(MVN) -q test-compile
	@for round in $$(seq $${ROUNDS:-3}); do uptime; for jar in $(BASE) $(JAR); do echo "$$jar"; \
	  $(JAVA) -Xmx128m -XX:+UseSerialGC -cp target/test-classes:$$jar com.catvsnoncat.bench.ClassifyCpuTime $(DATA) \
	    2> >(grep -v 'incubator modules' >&2); done; done

# The same side by side in CPU time (one picture, one thread), which the other work on a shared machine skews far less
# than wall-clock time: onnxruntime and ours alternately, ROUNDS times; each line a median of 3 rounds of 2 s.
.PHONY: bench-features-cpu
bench-features-cpu: jar ## CPU time a picture of the MobileNetV2 extractor and of onnxruntime, alternately
	$(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	@for round in $$(seq $${ROUNDS:-3}); do uptime; for size in 64 96 128; do \
	  printf 'onnxruntime '; env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(ORT_PYTHON) tools/backbone/ort_cpu_time.py \
	    $(ONNX_PEER) $$size; done; \
	  $(JAVA) -cp target/test-classes:target/classes:$$(cat target/test.classpath) \
	    com.catvsnoncat.bench.FeatureCpuTime 64 96 128 2> >(grep -v 'incubator modules' >&2) | sed 's/^/ours        /'; \
	done

# Our extractor against another build's (BASE=other.jar or a class folder) in one JVM, in alternating slices of
# 200 ms of thread CPU time (bench.FeatureCpuAb): neighbouring slices share the machine's load, so their ratio
# resolves a few percent where separate runs on the shared machine differ by 30%. SIZES and SLICES to choose.
.PHONY: bench-features-ab
bench-features-ab: jar ## CPU time a picture of our extractor against BASE=other.jar's, alternating slices in one JVM
	@test -n "$(BASE)" || { echo "BASE=other.jar (or a class folder) is required" >&2; exit 2; }
	$(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	@uptime; $(JAVA) -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
	  -cp target/test-classes:$$(cat target/test.classpath) com.catvsnoncat.bench.FeatureCpuAb \
	  $(BASE) target/classes $${SLICES:-40} $${SIZES:-64 96} 2> >(grep -v 'incubator modules' >&2); uptime

# The expected features for the extractor's parity test, computed by TensorFlow.js (CPU) on the published model.
TFJS_VERSION := 4.22.0
.PHONY: backbone-fixtures
backbone-fixtures: ## Recompute src/test/resources/backbone/expected-features.json with TensorFlow.js (needs node, npm)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent nsfwjs@4.3.0 >/dev/null && npm install --silent --no-save --prefix "$$tmp" \
	    @tensorflow/tfjs@$(TFJS_VERSION) >/dev/null) && \
	  echo "$(NSFWJS_SHA256)  $$tmp/nsfwjs-4.3.0.tgz" | sha256sum -c - && \
	  tar xzf "$$tmp/nsfwjs-4.3.0.tgz" -C "$$tmp" package/dist/models/mobilenet_v2 && \
	  node tools/backbone/expected-features.cjs "$$tmp/node_modules" "$$tmp/package" \
	    src/main/resources/warmup/picture-64.png src/test/resources/backbone/expected-features.json

# ---- Access control (README, section "API keys") ----
.PHONY: api-key
api-key: ## Print a new API key for ID=name and its line for auth.apiKeys or the api-keys.json Secret file
	@test -n "$(ID)" || { echo "usage: make api-key ID=name" >&2; exit 1; }
	@key=$$(head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40); \
	  echo "key (give it to the client; it is not stored anywhere): $$key"; \
	  printf '"%s": "%s"\n' "$(ID)" "$$(printf '%s' "$$key" | sha256sum | cut -d' ' -f1)"

.PHONY: packages
packages: ## The largest source files and the package dependency graph (main code)
	@tools/packages.sh

.PHONY: real-photos
real-photos: jar ## What both shipped models answer for ten full-size sample photos (fetched with apt-get download)
	@tools/real-photos.sh $(JAR)
