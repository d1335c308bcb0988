/// Models: features as of a date, trainers, calibration, explanations, evaluation, model files.
public enum RecoupModels {}
