package com.catvsnoncat.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "predict", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class PredictCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalStateException("predict is not implemented yet");
    }
}
