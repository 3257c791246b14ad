package com.catvsnoncat.nn;

/** Binary classification figures at threshold 0.5 (cat is the positive class). */
public record Metrics(int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {

    public static Metrics of(double[] probabilities, int[] labels) {
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predictedCat = probabilities[i] > 0.5;
            if (predictedCat) {
                if (labels[i] == 1) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (labels[i] == 1) {
                fn++;
            } else {
                tn++;
            }
        }
        return new Metrics(tp, fp, tn, fn);
    }

    public int total() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    public double accuracy() {
        return total() == 0 ? Double.NaN : (double) (truePositives + trueNegatives) / total();
    }

    public double precision() {
        int predicted = truePositives + falsePositives;
        return predicted == 0 ? 0 : (double) truePositives / predicted;
    }

    public double recall() {
        int actual = truePositives + falseNegatives;
        return actual == 0 ? 0 : (double) truePositives / actual;
    }

    /** Mean of the recall of each class: 0.5 for a model that always answers the same, whatever the class mix. */
    public double balancedAccuracy() {
        int cats = truePositives + falseNegatives;
        int nonCats = trueNegatives + falsePositives;
        double catRecall = cats == 0 ? 0 : (double) truePositives / cats;
        double nonCatRecall = nonCats == 0 ? 0 : (double) trueNegatives / nonCats;
        return (catRecall + nonCatRecall) / 2;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
