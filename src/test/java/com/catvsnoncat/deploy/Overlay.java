package com.catvsnoncat.deploy;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The kustomize overlays that are deployed, each rendered once per test run. */
enum Overlay {
    MINIKUBE("k8s/overlays/minikube"),
    EKS("k8s/overlays/eks");

    private static final Map<Overlay, Rendered> RENDERED = new ConcurrentHashMap<>();

    private final String path;

    Overlay(String path) {
        this.path = path;
    }

    Path dir() {
        return Project.path(path);
    }

    /** The overlay as {@code kubectl apply -k} would send it, parsed strictly. */
    Rendered render() {
        return RENDERED.computeIfAbsent(this, overlay -> Rendered.of(path, Kubectl.kustomize(overlay.dir())));
    }
}
