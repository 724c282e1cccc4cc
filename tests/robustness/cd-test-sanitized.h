/* cd-test-sanitized.h — SANITIZED: 1 in a build under AddressSanitizer or
 * ThreadSanitizer (GCC's macros, Clang's __has_feature), else 0.  Each test
 * that includes it says at its use why a sanitizer build does otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif
