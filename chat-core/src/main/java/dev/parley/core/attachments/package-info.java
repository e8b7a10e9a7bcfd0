/**
 * Public API: uploaded files and who may read them.
 */
package dev.parley.core.attachments;
