package com.catvsnoncat.cli;

import com.catvsnoncat.data.ImagePreprocessor;
import com.catvsnoncat.model.Model;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classifies image files or URLs: one line each, label then probability of cat then source.",
            "A source that cannot be read is reported on stderr and the exit code is 1; the others still print."})
public final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or http(s) URLs.")
    List<String> sources;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Model loaded = model.load();
        ImagePreprocessor preprocessor = new ImagePreprocessor();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failures = 0;
        try (ImageSources images = new ImageSources()) {
            for (String source : sources) {
                try {
                    double probability = loaded.predict(preprocessor.toInputVector(images.read(source)));
                    out.printf("%-8s %.6f  %s%n", probability > 0.5 ? "cat" : "non-cat", probability, source);
                } catch (IOException | RuntimeException e) {
                    String message = UserErrorHandler.userMessage(e);
                    if (message == null && e instanceof RuntimeException unexpected) {
                        throw unexpected;
                    }
                    err.println("error: " + source + ": " + message);
                    failures++;
                }
                out.flush();
            }
        }
        return failures == 0 ? 0 : UserErrorHandler.USER_ERROR;
    }
}
