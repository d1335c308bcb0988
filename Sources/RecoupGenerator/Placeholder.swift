public enum RecoupGeneratorPlaceholder {}
