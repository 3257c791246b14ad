package com.catvsnoncat.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "train", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class TrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalStateException("train is not implemented yet");
    }
}
