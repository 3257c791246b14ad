package com.catvsnoncat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar catvsnoncat.jar [command]}; without a command it serves, like the original system. */
@Command(name = "catvsnoncat", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Cat / non-cat image classifier: train, evaluate, predict, serve, import.",
        subcommands = {ServeCommand.class, TrainCommand.class, CrossValidateCommand.class, EvaluateCommand.class,
            PredictCommand.class, ImportCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        // Plots and image encoding need AWT but never a display.
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Main())
                .setExecutionExceptionHandler(new UserErrorHandler());
        if (args.length == 0 || args[0].startsWith("-") && !isTopLevelOption(args[0])) {
            String[] serve = new String[args.length + 1];
            serve[0] = "serve";
            System.arraycopy(args, 0, serve, 1, args.length);
            return commandLine.execute(serve);
        }
        return commandLine.execute(args);
    }

    private static boolean isTopLevelOption(String arg) {
        return arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version");
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
