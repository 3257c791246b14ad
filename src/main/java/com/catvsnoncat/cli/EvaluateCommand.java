package com.catvsnoncat.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class EvaluateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalStateException("evaluate is not implemented yet");
    }
}
