import { blockBaseStyles, enginePickerStyles, markdownStyles } from '@ai-blocks/ui';

export const aiTextBlockStyles = [markdownStyles, blockBaseStyles, enginePickerStyles];
